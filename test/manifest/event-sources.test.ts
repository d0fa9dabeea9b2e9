import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestJsonSchema, parseManifest } from '../../src/manifest/index.js';
import { makeApp, problemLines, yaml } from './helpers.js';
import { schemaErrors } from './json-schema-check.js';

const RESOURCES = [
  'resources:',
  '  queues: { jobs: {}, jobs-dlq: {}, orders.fifo: {} }',
  '  topics: { alerts: null }',
  '  buckets: { raw-images: {} }',
  '  tables: { Orders: { hashKey: { name: id, type: S } } }',
];

const MANIFEST = yaml(
  'functions:',
  '  worker:',
  '    runtime: nodejs20.x',
  '    handler: index.handler',
  '    events:',
  '      - sqs: jobs',
  '      - sqs: { queue: orders.fifo, batchSize: 5, reportBatchItemFailures: true }',
  '      - sns: alerts',
  '      - s3: { bucket: raw-images, events: ["s3:ObjectCreated:*"], prefix: uploads/, suffix: .jpg }',
  '      - dynamodb: { table: Orders, startingPosition: TRIM_HORIZON, batchSize: 50 }',
  '    async:',
  '      maximumRetryAttempts: 1',
  '      maximumEventAge: 3600',
  '      onSuccess: function:audit',
  '      onFailure: queue:jobs-dlq',
  '      deadLetter: topic:alerts',
  '  audit:',
  '    runtime: nodejs20.x',
  '    handler: index.handler',
  '    events:',
  '      - s3: { bucket: raw-images }',
  '      - dynamodb: { table: Orders }',
  '      - sqs: { queue: jobs, batchSize: 100, batchingWindow: 5 }',
  '    async:',
  '      onFailure: arn:aws:sqs:us-east-1:123456789012:elsewhere',
  ...RESOURCES,
);

describe('event sources and async settings in flint.yaml', () => {
  let dir = '';
  let cleanup = (): void => {};
  beforeEach(() => ({ dir, cleanup } = makeApp()));
  afterEach(() => cleanup());

  const lines = (text: string): string[] => problemLines(text, dir);
  const withWorker = (...lines: string[]): string => yaml('functions:', '  worker:', '    runtime: nodejs20.x', '    handler: index.handler', ...lines, ...RESOURCES);

  it('normalises every event source with Lambda’s defaults', () => {
    const spec = parseManifest(MANIFEST, join(dir, 'flint.yaml'));
    expect(spec.eventSources).toEqual([
      { type: 'sqs', functionName: 'worker', queue: 'jobs', batchSize: 10, batchingWindow: 0, reportBatchItemFailures: false },
      { type: 'sqs', functionName: 'worker', queue: 'orders.fifo', batchSize: 5, batchingWindow: 0, reportBatchItemFailures: true },
      { type: 'sns', functionName: 'worker', topic: 'alerts' },
      { type: 's3', functionName: 'worker', bucket: 'raw-images', events: ['s3:ObjectCreated:*'], prefix: 'uploads/', suffix: '.jpg' },
      { type: 'dynamodb', functionName: 'worker', table: 'Orders', startingPosition: 'TRIM_HORIZON', batchSize: 50 },
      { type: 's3', functionName: 'audit', bucket: 'raw-images', events: ['s3:ObjectCreated:*'] },
      { type: 'dynamodb', functionName: 'audit', table: 'Orders', startingPosition: 'LATEST', batchSize: 100 },
      { type: 'sqs', functionName: 'audit', queue: 'jobs', batchSize: 100, batchingWindow: 5, reportBatchItemFailures: false },
    ]);
    expect(spec.functions[0]?.async).toEqual({
      maximumRetryAttempts: 1,
      maximumEventAge: 3600,
      onSuccess: { type: 'function', name: 'audit' },
      onFailure: { type: 'queue', name: 'jobs-dlq' },
      deadLetter: { type: 'topic', name: 'alerts' },
    });
    expect(spec.functions[1]?.async).toEqual({ onFailure: { type: 'arn', arn: 'arn:aws:sqs:us-east-1:123456789012:elsewhere' } });
  });

  it('leaves eventSources and async out when a manifest has none', () => {
    const spec = parseManifest(yaml('functions:', '  f:', '    runtime: provided'), join(dir, 'flint.yaml'));
    expect(spec).not.toHaveProperty('eventSources');
    expect(spec.functions[0]).not.toHaveProperty('async');
  });

  it('reports resources that are not declared, where they are named', () => {
    expect(lines(withWorker('    events:', '      - sqs: nojobs', '      - sns: { }', '      - s3: { bucket: other-bucket }', '      - dynamodb: { table: Missing }'))).toEqual([
      "flint.yaml:6:9: functions.worker.events[0].sqs: no queue 'nojobs' under resources.queues (declared: jobs, jobs-dlq, orders.fifo)",
      'flint.yaml:7:9: functions.worker.events[1].sns: expected a topic name matching ^[A-Za-z0-9_-]{1,256}(\\.fifo)?$, got a map',
      "flint.yaml:8:15: functions.worker.events[2].s3.bucket: no bucket 'other-bucket' under resources.buckets (declared: raw-images)",
      "flint.yaml:9:21: functions.worker.events[3].dynamodb.table: no table 'Missing' under resources.tables (declared: Orders)",
    ]);
  });

  it('reports batch settings Lambda refuses', () => {
    expect(lines(withWorker('    events:', '      - sqs: { queue: jobs, batchSize: 20 }', '      - sqs: { queue: orders.fifo, batchSize: 20, batchingWindow: 1 }', '      - sqs: { queue: jobs-dlq, batchingWindow: 301 }'))).toEqual([
      'flint.yaml:6:9: functions.worker.events[0].sqs.batchingWindow: a batchSize above 10 needs a batchingWindow of at least 1 second',
      'flint.yaml:7:36: functions.worker.events[1].sqs.batchSize: a FIFO queue delivers at most 10 messages per batch',
      'flint.yaml:8:33: functions.worker.events[2].sqs.batchingWindow: expected an integer from 0 to 300, got 301',
    ]);
    expect(lines(withWorker('    events:', '      - sqs: jobs', '      - sqs: { queue: jobs }'))).toEqual([
      "flint.yaml:7:16: functions.worker.events[1].sqs.queue: queue 'jobs' is already an event source of this function",
    ]);
  });

  it('reports bad S3 event types and starting positions', () => {
    expect(lines(withWorker('    events:', '      - s3: { bucket: raw-images, events: ["s3:ObjectTagging:Put"] }', '      - dynamodb: { table: Orders, startingPosition: AT_TIMESTAMP }'))[0]).toMatch(
      /^flint\.yaml:6:44: functions\.worker\.events\[0\]\.s3\.events\[0\]: expected an S3 event type, one of s3:ObjectCreated:\*, /,
    );
    expect(lines(withWorker('    events:', '      - dynamodb: { table: Orders, startingPosition: AT_TIMESTAMP }'))).toEqual([
      'flint.yaml:6:36: functions.worker.events[0].dynamodb.startingPosition: expected TRIM_HORIZON or LATEST, got "AT_TIMESTAMP"',
    ]);
  });

  it('reports async settings out of range and destinations that do not exist', () => {
    expect(
      lines(withWorker('    async:', '      maximumRetryAttempts: 3', '      maximumEventAge: 30', '      onSuccess: function:worker', '      onFailure: queue:nope', '      deadLetter: function:worker', '      retries: 1')),
    ).toEqual([
      'flint.yaml:6:7: functions.worker.async.maximumRetryAttempts: expected an integer from 0 to 2, got 3',
      'flint.yaml:7:7: functions.worker.async.maximumEventAge: expected an integer from 60 to 21600, got 30',
      "flint.yaml:11:7: functions.worker.async.retries: unknown field 'retries' (expected one of: maximumRetryAttempts, maximumEventAge, onSuccess, onFailure, deadLetter)",
    ]);
    expect(lines(withWorker('    async:', '      onSuccess: function:worker', '      onFailure: queue:nope', '      deadLetter: function:other'))).toEqual([
      'flint.yaml:6:7: functions.worker.async.onSuccess: a function cannot be its own destination',
      "flint.yaml:7:7: functions.worker.async.onFailure: no queue 'nope' under resources.queues (declared: jobs, jobs-dlq, orders.fifo)",
      'flint.yaml:8:7: functions.worker.async.deadLetter: a dead-letter target is a queue or a topic',
    ]);
    expect(lines(withWorker('    async:', '      onSuccess: function:nobody', '      deadLetter: arn:aws:lambda:us-east-1:123456789012:function:x'))).toEqual([
      "flint.yaml:6:7: functions.worker.async.onSuccess: no function 'nobody' in this manifest (declared: worker)",
      'flint.yaml:7:7: functions.worker.async.deadLetter: a dead-letter target is a queue or a topic',
    ]);
    expect(lines(withWorker('    async:', '      onFailure: kafka://broker'))).toEqual([
      'flint.yaml:6:7: functions.worker.async.onFailure: expected queue:<name>, topic:<name>, function:<name> or an SQS, SNS or Lambda ARN, got "kafka://broker"',
    ]);
  });

  it('is described by the published JSON Schema', () => {
    expect(schemaErrors(manifestJsonSchema() as Record<string, unknown>, parse(MANIFEST))).toEqual([]);
  });
});
