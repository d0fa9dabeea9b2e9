/** flint.yaml's stream, queue, topic and bus settings (issue 13): normalised, refused with clear messages, in the JSON Schema. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestJsonSchema, parseManifest } from '../../src/manifest/index.js';
import { makeApp, problemLines, yaml } from './helpers.js';
import { schemaErrors } from './json-schema-check.js';

const MANIFEST = yaml(
  'functions:',
  '  worker:',
  '    runtime: nodejs20.x',
  '    handler: index.handler',
  '    events:',
  '      - sqs: { queue: jobs, maximumConcurrency: 5, filters: [{ body: { kind: [order] } }] }',
  '      - dynamodb: { table: Orders, filters: [{ eventName: [INSERT] }], maximumRetryAttempts: 2, bisectOnError: true, reportBatchItemFailures: true, onFailure: queue:jobs-dlq, maximumRecordAge: 3600, batchingWindow: 2, parallelization: 3 }',
  '      - eventBridge: { bus: orders, pattern: { source: [shop] } }',
  '      - eventBridge: { schedule: rate(5 minutes) }',
  'resources:',
  '  tables:',
  '    Orders:',
  '      hashKey: { name: id, type: S }',
  '      ttl: expiresAt',
  '      stream: NEW_IMAGE',
  '      indexes:',
  '        byCustomer: { hashKey: { name: customer, type: S }, rangeKey: { name: at, type: N }, projection: [total] }',
  '  queues: { jobs: { retention: 600, delay: 5, maxMessageSize: 2048 }, jobs-dlq: {} }',
  '  topics:',
  '    news:',
  '      subscriptions: [{ queue: jobs, filterPolicy: { kind: [order] }, filterPolicyScope: MessageBody, rawMessageDelivery: true }]',
  '    ev.fifo: null',
  '  buses: { orders: null }',
);

describe('stream, queue, topic and bus settings in flint.yaml', () => {
  let dir = '';
  let cleanup = (): void => {};
  beforeEach(() => ({ dir, cleanup } = makeApp()));
  afterEach(() => cleanup());
  const lines = (text: string): string[] => problemLines(text, dir);

  it('normalises each setting, and only the ones declared', () => {
    const spec = parseManifest(MANIFEST, join(dir, 'flint.yaml'));
    expect(spec.eventSources).toEqual([
      { type: 'sqs', functionName: 'worker', queue: 'jobs', batchSize: 10, batchingWindow: 0, reportBatchItemFailures: false, maximumConcurrency: 5, filters: [{ body: { kind: ['order'] } }] },
      {
        type: 'dynamodb', functionName: 'worker', table: 'Orders', startingPosition: 'LATEST', batchSize: 100,
        filters: [{ eventName: ['INSERT'] }], maximumRetryAttempts: 2, bisectOnError: true, reportBatchItemFailures: true,
        onFailure: { type: 'queue', name: 'jobs-dlq' }, maximumRecordAge: 3600, batchingWindow: 2, parallelization: 3,
      },
      { type: 'eventBridge', functionName: 'worker', bus: 'orders', pattern: { source: ['shop'] } },
      { type: 'eventBridge', functionName: 'worker', bus: 'default', schedule: 'rate(5 minutes)' },
    ]);
    expect(spec.resources).toEqual({
      tables: [{
        name: 'Orders', hashKey: { name: 'id', type: 'S' }, ttl: 'expiresAt', stream: 'NEW_IMAGE',
        indexes: [{ name: 'byCustomer', hashKey: { name: 'customer', type: 'S' }, rangeKey: { name: 'at', type: 'N' }, projection: ['total'] }],
      }],
      buckets: [],
      queues: [
        { name: 'jobs', fifo: false, visibilityTimeout: 30, retention: 600, delay: 5, maxMessageSize: 2048 },
        { name: 'jobs-dlq', fifo: false, visibilityTimeout: 30 },
      ],
      topics: [
        { name: 'news', subscriptions: [{ queue: 'jobs', filterPolicy: { kind: ['order'] }, filterPolicyScope: 'MessageBody', rawMessageDelivery: true }] },
        { name: 'ev.fifo', fifo: true },
      ],
      buses: [{ name: 'orders' }],
      parameters: [],
      secrets: [],
    });
  });

  it('is valid against the published JSON Schema', () => {
    expect(schemaErrors(manifestJsonSchema() as Record<string, unknown>, parse(MANIFEST))).toEqual([]);
  });

  it('refuses out-of-range and unknown settings where they are written', () => {
    expect(lines(yaml(
      'functions:',
      '  worker:',
      '    runtime: nodejs20.x',
      '    handler: index.handler',
      '    events:',
      '      - sqs: { queue: jobs, maximumConcurrency: 1 }',
      '      - dynamodb: { table: Orders, maximumRetryAttempts: -2, bisect: true, maximumRecordAge: 30, parallelization: 11 }',
      'resources:',
      '  tables:',
      '    Orders: { hashKey: { name: id, type: S }, stream: NEW, indexes: { byId: { hashKey: { name: id, type: N } } } }',
      '  queues: { jobs: { retention: 10, delay: 901 } }',
    ))).toEqual([
      'flint.yaml:6:29: functions.worker.events[0].sqs.maximumConcurrency: expected an integer from 2 to 1000, got 1',
      'flint.yaml:7:36: functions.worker.events[1].dynamodb.maximumRetryAttempts: expected an integer from -1 to 10000, got -2',
      "flint.yaml:7:62: functions.worker.events[1].dynamodb.bisect: unknown field 'bisect' (expected one of: table, startingPosition, batchSize, filters, maximumRetryAttempts, bisectOnError, reportBatchItemFailures, onFailure, maximumRecordAge, batchingWindow, parallelization)",
      'flint.yaml:7:76: functions.worker.events[1].dynamodb.maximumRecordAge: expected -1 or an integer from 60 to 604800',
      'flint.yaml:7:98: functions.worker.events[1].dynamodb.parallelization: expected an integer from 1 to 10, got 11',
      'flint.yaml:10:47: resources.tables.Orders.stream: expected a stream view type, one of NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY, got "NEW"',
      "flint.yaml:10:100: resources.tables.Orders.indexes.byId.hashKey.type: attribute 'id' is already a key of type S; one attribute has one type",
      'flint.yaml:11:21: resources.queues.jobs.retention: expected an integer from 60 to 1209600, got 10',
      'flint.yaml:11:36: resources.queues.jobs.delay: expected an integer from 0 to 900, got 901',
    ]);
  });

  it('checks what subscriptions, destinations and rules name', () => {
    expect(lines(yaml(
      'functions:',
      '  worker:',
      '    runtime: nodejs20.x',
      '    handler: index.handler',
      '    events:',
      '      - dynamodb: { table: Orders, onFailure: topic:missing }',
      '      - eventBridge: { bus: nobus, pattern: { source: [shop] } }',
      '      - eventBridge: { bus: orders, schedule: rate(5 minutes) }',
      '      - eventBridge: { pattern: { source: [shop] }, schedule: rate(1 hour) }',
      'resources:',
      '  tables: { Orders: { hashKey: { name: id, type: S } } }',
      '  queues: { jobs.fifo: {} }',
      '  topics:',
      '    plain: { subscriptions: [{ queue: jobs.fifo }, { queue: nothere }] }',
      '    odd: { fifo: true }',
      '  buses: { orders: null, default: null }',
    ))).toEqual([
      "flint.yaml:6:36: functions.worker.events[0].dynamodb.onFailure: no topic 'missing' under resources.topics (declared: plain, odd)",
      "flint.yaml:7:24: functions.worker.events[1].eventBridge.bus: no bus 'nobus' under resources.buses (declared: orders, default)",
      'flint.yaml:8:24: functions.worker.events[2].eventBridge.bus: a schedule runs on the default bus only (EventBridge refuses ScheduleExpression on custom buses)',
      'flint.yaml:9:9: functions.worker.events[3].eventBridge: an eventBridge event has either a pattern or a schedule',
      'flint.yaml:14:32: resources.topics.plain.subscriptions[0].queue: a FIFO queue subscribes only to a FIFO topic; make the topic plain.fifo',
      "flint.yaml:14:54: resources.topics.plain.subscriptions[1].queue: no queue 'nothere' under resources.queues (declared: jobs.fifo)",
      "flint.yaml:15:12: resources.topics.odd.fifo: a FIFO topic's name must end with .fifo",
      'flint.yaml:16:26: resources.buses.default: the default bus always exists; declare only custom buses',
    ]);
  });
});
