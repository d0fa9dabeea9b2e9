import { AwsError, type Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import type { Operation, OperationName, SqsContext } from './context.js';
import { invalidValue, missingParameter, QUERY_QUEUE_DOES_NOT_EXIST, sqsError } from './errors.js';
import { SQS_MODEL } from './model.js';
import * as messages from './ops-messages.js';
import * as queues from './ops-queues.js';
import * as permissions from './permissions.js';

/**
 * The operations Flint implements, as the kit calls them. The kit reads and types the input in either protocol;
 * SQS's own checks come first, in its own words (coral's constraint messages are not what SQS sends), then the
 * operation. The message move tasks have no handler: the kit answers them with UnsupportedOperation.
 */
const OPERATIONS: { [N in OperationName]?: Operation<N> } = {
  CreateQueue: queues.createQueue,
  GetQueueUrl: queues.getQueueUrl,
  ListQueues: queues.listQueues,
  DeleteQueue: queues.deleteQueue,
  PurgeQueue: queues.purgeQueue,
  GetQueueAttributes: queues.getQueueAttributes,
  SetQueueAttributes: queues.setQueueAttributes,
  ListQueueTags: queues.listQueueTags,
  TagQueue: queues.tagQueue,
  UntagQueue: queues.untagQueue,
  ListDeadLetterSourceQueues: queues.listDeadLetterSourceQueues,
  AddPermission: permissions.addPermission,
  RemovePermission: permissions.removePermission,
  SendMessage: messages.sendMessage,
  SendMessageBatch: messages.sendMessageBatch,
  ReceiveMessage: messages.receiveMessage,
  DeleteMessage: messages.deleteMessage,
  DeleteMessageBatch: messages.deleteMessageBatch,
  ChangeMessageVisibility: messages.changeMessageVisibility,
  ChangeMessageVisibilityBatch: messages.changeMessageVisibilityBatch,
};

type Fields = Record<string, unknown>;

/** Each operation behind the checks every SQS operation shares. */
export function sqsHandlers(): Handlers<Operations, SqsContext> {
  const handlers: Record<string, (input: Fields, ctx: SqsContext) => Promise<unknown>> = {};
  for (const [name, operation] of Object.entries(OPERATIONS) as [OperationName, (input: Fields, ctx: SqsContext) => Promise<unknown>][]) {
    const shape = SQS_MODEL.operation(name)?.input?.shape;
    handlers[name] = async (input, ctx) => {
      if (shape) prepare(shape, input, ctx);
      try {
        return await operation(input, ctx);
      } catch (error) {
        throw inProtocol(error, ctx);
      }
    };
  }
  // The table is keyed by operation name and each entry calls that operation with its own input.
  return handlers as Handlers<Operations, SqsContext>;
}

/** Fills in what query clients leave to the URL or cannot say, then checks that required parameters are there. */
function prepare(shape: string, input: Fields, ctx: SqsContext): void {
  if (ctx.protocol === 'query') fillQueryGaps(shape, input, ctx);
  checkRequired(shape, input, '');
  if (input.QueueUrl === '') throw invalidValue('Value  for parameter QueueUrl is invalid.');
}

function fillQueryGaps(shape: string, input: Fields, ctx: SqsContext): void {
  for (const member of SQS_MODEL.members(shape)) {
    if (input[member.name] !== undefined) continue;
    // Older clients post to the queue's own URL instead of sending QueueUrl.
    if (member.name === 'QueueUrl' && /^\/[^/]+\/[^/]+$/.test(ctx.rawPath)) input.QueueUrl = `${ctx.baseUrl}${ctx.rawPath}`;
    // An empty list has no parameters of its own (botocore sends `Entries=`), so an absent required list is empty:
    // a batch without entries is an EmptyBatchRequest, as in JSON, not a missing parameter.
    if (member.required && member.shape.type === 'list') input[member.name] = [];
  }
}

/**
 * SQS's MissingParameter for an absent required member, at the top level and in batch entries, and
 * InvalidParameterValue for a null list element or map value (JSON can send them; the operations never see them).
 * Message attribute values are left to the send rules, which word a missing DataType as SQS does.
 */
function checkRequired(shape: string, value: Fields, path: string): void {
  for (const member of SQS_MODEL.members(shape)) {
    const inner = value[member.name];
    const name = path + member.name;
    if (inner === undefined || inner === null) {
      if (member.required) throw missingParameter(name);
      continue;
    }
    if (member.shape.type === 'map') checkValues(Object.entries(inner as Fields), name);
    if (member.shape.type !== 'list') continue;
    const items = inner as unknown[];
    checkValues(items.map((item, i) => [String(i + 1), item]), name);
    const element = member.shape.member!.shape;
    if (SQS_MODEL.shape(element).type === 'structure') items.forEach((item, i) => checkRequired(element, item as Fields, `${name}.${i + 1}.`));
  }
}

function checkValues(entries: [string, unknown][], name: string): void {
  for (const [key, item] of entries) if (item === null) throw invalidValue(`Value null for parameter ${name}.${key} is invalid.`);
}

/** The query protocol words a missing queue its own way. */
function inProtocol(error: unknown, ctx: SqsContext): unknown {
  if (ctx.protocol === 'query' && error instanceof AwsError && error.type === 'QueueDoesNotExist') return sqsError('QueueDoesNotExist', QUERY_QUEUE_DOES_NOT_EXIST);
  return error;
}
