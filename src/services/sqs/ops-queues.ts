import type { MessageQueue, QueueUpdate } from '../../storage/index.js';
import { invalidParameter, queueDoesNotExist, sqsError } from './errors.js';
import { checkQueueName, nameFromUrl, queueArn, queueUrl } from './names.js';
import type { Input, Output, SqsContext } from './context.js';
import {
  canonicalAttributes,
  COMPUTED_ATTRIBUTES,
  initialAttributes,
  KNOWN_ATTRIBUTES,
  mergeAttributes,
  REDRIVE_POLICY,
  SECONDS,
} from './queue-attributes.js';
import { parseRedrivePolicy, renderRedrivePolicy, sameTarget } from './redrive.js';
import { checkNotEmpty, checkTagKey, checkTags } from './tags.js';

/** Queue operations: create, look up, list, configure, tag, purge and delete. */

const MAX_RESULTS = 1000;
const PURGE_INTERVAL_MS = 60 * SECONDS;

export async function createQueue(input: Input<'CreateQueue'>, ctx: SqsContext): Promise<Output<'CreateQueue'>> {
  const { engine } = ctx;
  const name = input.QueueName;
  const given = input.Attributes ?? {};
  const fifo = given.FifoQueue?.toLowerCase() === 'true';
  checkQueueName(name, fifo);
  const canonical = canonicalAttributes(given, fifo, 'create');
  checkTags(input.tags ?? {});
  const policy = canonical[REDRIVE_POLICY];
  const deadLetter = policy === undefined ? undefined : await parseRedrivePolicy(engine.store, engine.scope, policy, fifo);
  const attributes = mergeAttributes(initialAttributes(fifo), canonical);
  const { queue, created } = await engine.store.createQueue({
    name,
    fifo,
    retentionMs: Number(attributes.MessageRetentionPeriod) * SECONDS,
    attributes,
    tags: input.tags ?? {},
    ...(deadLetter ? { deadLetter } : {}),
  });
  // SQS answers an existing queue's URL unless a given attribute differs from it.
  if (!created) checkSameAttributes(queue, canonical, deadLetter);
  engine.settings.forget(name);
  return { QueueUrl: queueUrl(ctx.baseUrl, engine.scope, name) };
}

function checkSameAttributes(queue: MessageQueue, given: Record<string, string>, deadLetter: MessageQueue['deadLetter']): void {
  for (const [name, value] of Object.entries(given)) {
    const same = name === REDRIVE_POLICY ? sameTarget(queue.deadLetter, deadLetter) : (queue.attributes[name] ?? '') === value;
    if (!same) throw sqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${name}`);
  }
}

export async function getQueueUrl(input: Input<'GetQueueUrl'>, ctx: SqsContext): Promise<Output<'GetQueueUrl'>> {
  const config = await ctx.engine.settings.get(input.QueueName);
  return { QueueUrl: queueUrl(ctx.baseUrl, ctx.engine.scope, config.name) };
}

export async function listQueues(input: Input<'ListQueues'>, ctx: SqsContext): Promise<Output<'ListQueues'>> {
  const { page, next } = await pageOfQueues(ctx, { prefix: input.QueueNamePrefix, token: input.NextToken, max: input.MaxResults });
  const out: Output<'ListQueues'> = {};
  if (page.length > 0) out.QueueUrls = page.map((queue) => queueUrl(ctx.baseUrl, ctx.engine.scope, queue.name));
  if (next) out.NextToken = next;
  return out;
}

export async function listDeadLetterSourceQueues(input: Input<'ListDeadLetterSourceQueues'>, ctx: SqsContext): Promise<Output<'ListDeadLetterSourceQueues'>> {
  const target = await requireQueue(ctx, input.QueueUrl);
  const all = await ctx.engine.store.listQueues();
  const sources = all.filter((queue) => queue.deadLetter?.queue === target.name);
  return { queueUrls: sources.map((queue) => queueUrl(ctx.baseUrl, ctx.engine.scope, queue.name)) };
}

/** A page of queues; the token (only with MaxResults, as SQS does) is the last name returned. */
async function pageOfQueues(ctx: SqsContext, options: { prefix?: string; token?: string; max?: number }): Promise<{ page: MessageQueue[]; next?: string }> {
  const max = options.max;
  if (max !== undefined && (max < 1 || max > MAX_RESULTS)) {
    throw invalidParameter('MaxResults', max, `MaxResults must be an integer between 1 and ${MAX_RESULTS}.`);
  }
  const after = options.token === undefined ? undefined : decodeToken(options.token);
  const limit = max ?? MAX_RESULTS;
  const queues = await ctx.engine.store.listQueues({ prefix: options.prefix, after, limit: limit + 1 });
  const page = queues.slice(0, limit);
  const last = page[page.length - 1];
  return max !== undefined && queues.length > limit && last ? { page, next: Buffer.from(last.name).toString('base64') } : { page };
}

function decodeToken(token: string): string {
  const name = Buffer.from(token, 'base64').toString('utf8');
  if (name.length === 0) throw invalidParameter('NextToken', token, 'Invalid NextToken value.');
  return name;
}

export async function deleteQueue(input: Input<'DeleteQueue'>, ctx: SqsContext): Promise<void> {
  const name = nameFromUrl(input.QueueUrl);
  ctx.engine.settings.forget(name);
  if (!name || !(await ctx.engine.store.deleteQueue(name))) throw queueDoesNotExist();
}

export async function purgeQueue(input: Input<'PurgeQueue'>, ctx: SqsContext): Promise<void> {
  const config = await ctx.engine.settings.get(nameFromUrl(input.QueueUrl));
  const result = await ctx.engine.onQueue(config.name, () => ctx.engine.store.purge(config.name, { minIntervalMs: PURGE_INTERVAL_MS }));
  if (!result.purged) {
    throw sqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${config.name} is allowed every 60 seconds.`);
  }
}

export async function getQueueAttributes(input: Input<'GetQueueAttributes'>, ctx: SqsContext): Promise<Output<'GetQueueAttributes'>> {
  const names = input.AttributeNames ?? [];
  for (const name of names) if (!KNOWN_ATTRIBUTES.has(name)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
  const queue = await requireQueue(ctx, input.QueueUrl);
  const all = names.includes('All');
  const wanted = (name: string) => all || names.includes(name);
  const computed = await computedAttributes(ctx, queue, wanted);
  const attributes: Record<string, string> = {};
  for (const [name, value] of [...Object.entries(computed), ...Object.entries(queue.attributes)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (wanted(name)) attributes[name] = value;
  }
  if (queue.deadLetter && wanted(REDRIVE_POLICY)) attributes[REDRIVE_POLICY] = renderRedrivePolicy(ctx.engine.scope, queue.deadLetter);
  return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
}

async function computedAttributes(ctx: SqsContext, queue: MessageQueue, wanted: (name: string) => boolean): Promise<Record<string, string>> {
  const out: Record<string, string> = {
    CreatedTimestamp: String(Math.floor(queue.createdAt / SECONDS)),
    LastModifiedTimestamp: String(Math.floor(queue.updatedAt / SECONDS)),
    QueueArn: queueArn(ctx.engine.scope, queue.name),
  };
  if (COMPUTED_ATTRIBUTES.some((name) => name.startsWith('Approximate') && wanted(name))) {
    const counts = await ctx.engine.onQueue(queue.name, () => ctx.engine.store.counts(queue.name));
    out.ApproximateNumberOfMessages = String(counts.visible);
    out.ApproximateNumberOfMessagesNotVisible = String(counts.inFlight);
    out.ApproximateNumberOfMessagesDelayed = String(counts.delayed);
  }
  return out;
}

export async function setQueueAttributes(input: Input<'SetQueueAttributes'>, ctx: SqsContext): Promise<void> {
  const { engine } = ctx;
  const queue = await requireQueue(ctx, input.QueueUrl);
  const canonical = canonicalAttributes(input.Attributes, queue.fifo, 'set');
  const attributes = mergeAttributes(queue.attributes, canonical);
  const update: QueueUpdate = { attributes, retentionMs: Number(attributes.MessageRetentionPeriod) * SECONDS };
  const policy = canonical[REDRIVE_POLICY];
  if (policy !== undefined) update.deadLetter = (await parseRedrivePolicy(engine.store, engine.scope, policy, queue.fifo)) ?? null;
  await updateQueue(ctx, queue.name, update);
}

export async function listQueueTags(input: Input<'ListQueueTags'>, ctx: SqsContext): Promise<Output<'ListQueueTags'>> {
  const queue = await requireQueue(ctx, input.QueueUrl);
  return Object.keys(queue.tags).length > 0 ? { Tags: queue.tags } : {};
}

export async function tagQueue(input: Input<'TagQueue'>, ctx: SqsContext): Promise<void> {
  checkNotEmpty('Tags', Object.keys(input.Tags).length);
  const queue = await requireQueue(ctx, input.QueueUrl);
  checkTags(input.Tags, queue.tags);
  await updateQueue(ctx, queue.name, { tags: { ...queue.tags, ...input.Tags } });
}

export async function untagQueue(input: Input<'UntagQueue'>, ctx: SqsContext): Promise<void> {
  checkNotEmpty('TagKeys', input.TagKeys.length);
  for (const key of input.TagKeys) checkTagKey(key);
  const queue = await requireQueue(ctx, input.QueueUrl);
  const tags = { ...queue.tags };
  for (const key of input.TagKeys) delete tags[key];
  await updateQueue(ctx, queue.name, { tags });
}

/** The stored queue, read fresh (attribute and tag operations must see the latest write). */
export async function requireQueue(ctx: SqsContext, url: string): Promise<MessageQueue> {
  const name = nameFromUrl(url);
  const queue = name ? await ctx.engine.store.getQueue(name) : undefined;
  if (!queue) throw queueDoesNotExist();
  return queue;
}

export async function updateQueue(ctx: SqsContext, name: string, update: QueueUpdate): Promise<void> {
  ctx.engine.settings.forget(name);
  if (!(await ctx.engine.store.updateQueue(name, update))) throw queueDoesNotExist();
}
