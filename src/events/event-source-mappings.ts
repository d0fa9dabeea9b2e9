/**
 * Lambda's event source mappings: CreateEventSourceMapping and its siblings over records in the metadata store,
 * and a poller for every enabled mapping (SQS queues, DynamoDB streams) that invokes the function synchronously
 * with batches of records. Changes take effect at once: the call that creates, changes or deletes a mapping
 * reports Lambda's transitional state (Creating, Updating, Enabling, Disabling, Deleting) and later reads report
 * Enabled or Disabled. A mapping outlives its function, as on Lambda (its invocations then fail until the function
 * is back). Pollers are driven by the injected Clock.
 */
import { FlintError, isFlintError, type Clock, type Logger } from '../core/index.js';
import { parseFunctionRef, type FunctionRegistry } from '../functions/index.js';
import type { MetadataStore } from '../storage/index.js';
import { constraintIssue, Issues, invalidValue, resourceNotFound, validationFailed } from './errors.js';
import { checkRanges, kindOf, newRecord, patchRecord } from './mapping-rules.js';
import { MappingStore, NO_RECORDS } from './mapping-store.js';
import type { EventSourceMapping, MappingFilter, MappingInput, MappingRecord, MappingState } from './mapping-types.js';
import type { DestinationSender, QueueSource, StreamSource } from './ports.js';
import type { FunctionCalls } from './function-calls.js';
import { SqsPoller } from './sqs-poller.js';
import { StreamPoller } from './stream-poller.js';

const LIST_DEFAULT = 100;
const NOT_FOUND = 'The resource you requested does not exist.';

export interface EventSourceMappingsOptions {
  metadata: MetadataStore;
  registry: FunctionRegistry;
  calls: FunctionCalls;
  clock: Clock;
  logger: Logger;
  /** SQS queues; without it SQS mappings are refused. */
  queues?: QueueSource;
  /** DynamoDB streams; without it DynamoDB mappings are refused. */
  streams?: StreamSource;
  /** Where stream mappings send descriptions of skipped batches. */
  destinations?: DestinationSender;
}

interface Running {
  stop(): Promise<void>;
  readonly lastProcessingResult?: string;
}

export class EventSourceMappings {
  private readonly store: MappingStore;
  private readonly pollers = new Map<string, Running>();
  private started = false;
  private closed = false;

  constructor(private readonly options: EventSourceMappingsOptions) {
    this.store = new MappingStore(options.metadata);
  }

  /** Starts a poller for every enabled mapping. */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    for (const record of await this.store.all()) if (record.enabled) this.run(record);
  }

  /** Stops every poller; invocations in flight finish first. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pollers.values()].map((poller) => poller.stop()));
    this.pollers.clear();
  }

  async create(input: MappingInput): Promise<EventSourceMapping> {
    checkRanges(input);
    const kind = kindOf(input.eventSourceArn);
    const fn = await this.functionOf(input.functionName);
    const record = newRecord(kind, input, fn, this.options.clock.now());
    await this.checkSource(record);
    await this.checkDuplicate(record);
    if (record.stream) {
      const after = record.stream.startingPosition === 'LATEST' ? await this.options.streams!.latestSequence() : 0;
      await this.store.savePosition(record.uuid, { after, lastProcessingResult: NO_RECORDS });
    }
    await this.store.put(record);
    if (record.enabled) this.run(record);
    return this.view(record, 'Creating');
  }

  async get(uuid: string): Promise<EventSourceMapping> {
    return this.view(await this.require(uuid));
  }

  /** Mappings in UUID order, filtered by function and source; a filter naming nothing that exists is fine. */
  async list(filter: MappingFilter = {}): Promise<{ items: EventSourceMapping[]; nextMarker?: string }> {
    new Issues().range('maxItems', filter.maxItems, 1, 10_000).done();
    const functionName = filter.functionName === undefined ? undefined : parseFunctionRef(filter.functionName);
    const matching = (await this.store.all()).filter(
      (r) =>
        (filter.eventSourceArn === undefined || r.eventSourceArn === filter.eventSourceArn) &&
        (functionName === undefined || (r.functionName === functionName.name && (functionName.qualifier === undefined || r.qualifier === functionName.qualifier))) &&
        (filter.marker === undefined || r.uuid > filter.marker),
    );
    const limit = filter.maxItems ?? LIST_DEFAULT;
    const items = await Promise.all(matching.slice(0, limit).map((r) => this.view(r)));
    return matching.length > limit ? { items, nextMarker: matching[limit - 1]!.uuid } : { items };
  }

  async update(uuid: string, input: MappingInput): Promise<EventSourceMapping> {
    const current = await this.require(uuid);
    checkRanges(input);
    const fn = input.functionName === undefined ? undefined : await this.functionOf(input.functionName);
    const next = patchRecord(current, input, fn, this.options.clock.now());
    if (next.kind === 'sqs') await this.checkSource(next);
    if (fn) await this.checkDuplicate(next);
    await this.store.put(next);
    await this.halt(uuid);
    if (next.enabled) this.run(next);
    const state: MappingState = current.enabled === next.enabled ? 'Updating' : next.enabled ? 'Enabling' : 'Disabling';
    return this.view(next, state);
  }

  async delete(uuid: string): Promise<EventSourceMapping> {
    const record = await this.require(uuid);
    const shown = await this.view(record, 'Deleting');
    await this.halt(uuid);
    await this.store.delete(uuid);
    return shown;
  }

  /**
   * Makes an app's mappings (those created with its name in `app`) the ones given, for manifest deploys: missing
   * ones are created, changed ones updated, the others deleted. A mapping is the same when it has the same source
   * and function; its starting position is kept (Lambda cannot change it either).
   */
  async syncApp(app: string, wanted: MappingInput[]): Promise<{ created: number; updated: number; deleted: number }> {
    const owned = (await this.store.all()).filter((r) => r.app === app);
    const counts = { created: 0, updated: 0, deleted: 0 };
    const kept = new Set<string>();
    for (const input of wanted) {
      const ref = input.functionName === undefined ? undefined : parseFunctionRef(input.functionName);
      let existing = owned.find((r) => r.eventSourceArn === input.eventSourceArn && r.functionName === ref?.name && r.qualifier === ref?.qualifier);
      // An update cannot take ScalingConfig away; a manifest that drops maximumConcurrency gets a new SQS mapping.
      if (existing?.maximumConcurrency !== undefined && input.maximumConcurrency === undefined) {
        await this.delete(existing.uuid);
        counts.deleted++;
        kept.add(existing.uuid); // gone already: not deleted again below
        existing = undefined;
      }
      if (!existing) {
        kept.add((await this.create({ ...input, app })).uuid);
        counts.created++;
        continue;
      }
      kept.add(existing.uuid);
      const { eventSourceArn: _source, startingPosition: _position, startingPositionTimestamp: _timestamp, functionName: _name, ...changes } = input;
      const next = patchRecord(existing, changes, undefined, existing.lastModified);
      if (JSON.stringify(next) !== JSON.stringify(existing)) {
        await this.update(existing.uuid, changes);
        counts.updated++;
      }
    }
    for (const record of owned) {
      if (kept.has(record.uuid)) continue;
      await this.delete(record.uuid);
      counts.deleted++;
    }
    return counts;
  }

  /** The ARN of the function a mapping invokes, qualified when it names a version or alias. */
  functionArn(record: MappingRecord): string {
    return this.options.registry.arn(record.functionName, record.qualifier);
  }

  private async require(uuid: string): Promise<MappingRecord> {
    const record = await this.store.get(uuid);
    if (!record) throw resourceNotFound(NOT_FOUND, uuid);
    return record;
  }

  private async view(record: MappingRecord, transition?: MappingState): Promise<EventSourceMapping> {
    const { region, accountId } = this.options.registry.scope;
    const view: EventSourceMapping = {
      ...record,
      functionArn: this.functionArn(record),
      mappingArn: `arn:aws:lambda:${region}:${accountId}:event-source-mapping:${record.uuid}`,
      state: transition ?? (record.enabled ? 'Enabled' : 'Disabled'),
      stateTransitionReason: record.kind === 'sqs' ? 'USER_INITIATED' : 'User action',
    };
    if (record.kind === 'dynamodb') {
      view.lastProcessingResult = this.pollers.get(record.uuid)?.lastProcessingResult ?? (await this.store.position(record.uuid))?.lastProcessingResult ?? NO_RECORDS;
    }
    return view;
  }

  /** The function a mapping names must exist when the mapping is created or pointed at it. */
  private async functionOf(functionName: string | undefined): Promise<{ name: string; qualifier?: string }> {
    if (functionName === undefined) throw validationFailed([constraintIssue('functionName', undefined, 'Member must not be null')]);
    const ref = parseFunctionRef(functionName);
    try {
      await this.options.registry.get(ref.name, ref.qualifier);
    } catch (error) {
      if (isFlintError(error, 'FUNCTION_NOT_FOUND')) throw invalidValue('Function does not exist');
      throw error;
    }
    return ref;
  }

  /** The source must exist; an SQS queue's visibility timeout must cover the function's timeout. */
  private async checkSource(record: MappingRecord): Promise<void> {
    if (record.kind === 'sqs') {
      if (!this.options.queues) throw invalidValue('SQS event sources are not available on this node.');
      const queue = await this.options.queues.describe(record.eventSourceArn);
      if (!queue) {
        throw invalidValue('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.');
      }
      const timeout = (await this.options.registry.get(record.functionName, record.qualifier)).timeout;
      if (queue.visibilityTimeout < timeout) {
        throw invalidValue(`Queue visibility timeout: ${queue.visibilityTimeout} seconds is less than Function timeout: ${timeout} seconds`);
      }
      return;
    }
    if (!this.options.streams) throw invalidValue('DynamoDB event sources are not available on this node.');
    if (!(await this.options.streams.describe(record.eventSourceArn))) throw invalidValue(`Stream not found: ${record.eventSourceArn}`);
  }

  private async checkDuplicate(record: MappingRecord): Promise<void> {
    const existing = (await this.store.all()).find(
      (r) => r.uuid !== record.uuid && r.eventSourceArn === record.eventSourceArn && r.functionName === record.functionName && r.qualifier === record.qualifier,
    );
    if (!existing) return;
    const message =
      record.kind === 'sqs'
        ? `An event source mapping with SQS arn (" ${record.eventSourceArn} ") and function (" ${record.functionName} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`
        : `The event source arn (" ${record.eventSourceArn} ") and function (" ${record.functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`;
    throw new FlintError('RESOURCE_CONFLICT', message, { uuid: existing.uuid });
  }

  private run(record: MappingRecord): void {
    if (!this.started || this.closed) return;
    const { calls, clock, logger } = this.options;
    const parts = { calls, clock, logger };
    let poller: SqsPoller | StreamPoller;
    if (record.kind === 'sqs' && this.options.queues) poller = new SqsPoller(record, this.options.queues, parts);
    else if (record.kind === 'dynamodb' && this.options.streams) {
      poller = new StreamPoller(record, this.options.streams, { ...parts, store: this.store, destinations: this.options.destinations, functionArn: this.functionArn(record) });
    } else return;
    this.pollers.set(record.uuid, poller);
    poller.start();
  }

  private async halt(uuid: string): Promise<void> {
    const poller = this.pollers.get(uuid);
    this.pollers.delete(uuid);
    await poller?.stop();
  }
}
