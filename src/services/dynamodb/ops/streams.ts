import { createHash } from 'node:crypto';
import type { StreamRecord, TableInfo } from '../../../storage/index.js';
import { streamArn, type OperationContext, type Scope } from '../context.js';
import { dynamoError, resourceNotFound, validation } from '../errors.js';
import type {
  DescribeStreamInput,
  DescribeStreamOutput,
  GetRecordsInput,
  GetRecordsOutput,
  GetShardIteratorInput,
  GetShardIteratorOutput,
  ListStreamsInput,
  ListStreamsOutput,
  RecordShape,
  Shard,
} from '../streams-api.js';
import { itemSize } from '../values/size.js';
import { storeCall } from './store-calls.js';
import { keySchema } from './table-description.js';

/**
 * The DynamoDB Streams API (DynamoDBStreams_20120810): ListStreams, DescribeStream, GetShardIterator and
 * GetRecords over the store's stream records. Each stream has one shard; iterators carry their position. The kit
 * has checked the members against the Streams model (see quirks.ts).
 */

/** A shard iterator lives 15 minutes, as DynamoDB's do. */
const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;
const MAX_RECORDS = 1000;
const SEQUENCE_DIGITS = 21;

interface IteratorState {
  table: string;
  label: string;
  after: number;
  issuedAt: number;
}

export function sequenceNumber(sequence: number): string {
  return String(sequence).padStart(SEQUENCE_DIGITS, '0');
}

function shardId(table: string, label: string): string {
  const hash = createHash('sha256').update(`${table}/${label}`).digest('hex').slice(0, 8);
  return `shardId-${String(Date.parse(`${label}Z`)).padStart(20, '0')}-${hash}`;
}

/** A stream record in the shape Lambda event sources and GetRecords deliver. */
export function formatStreamRecord(record: StreamRecord, table: TableInfo, scope: Scope): Record<string, unknown> {
  const data: Record<string, unknown> = {
    ApproximateCreationDateTime: Math.floor(record.createdAt / 1000),
    Keys: record.keys,
  };
  if (record.newImage) data.NewImage = record.newImage;
  if (record.oldImage) data.OldImage = record.oldImage;
  data.SequenceNumber = sequenceNumber(record.sequence);
  data.SizeBytes = itemSize(record.keys) + (record.newImage ? itemSize(record.newImage) : 0) + (record.oldImage ? itemSize(record.oldImage) : 0);
  data.StreamViewType = table.stream?.viewType ?? 'KEYS_ONLY';
  const formatted: Record<string, unknown> = {
    eventID: record.eventId,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: scope.region,
    dynamodb: data,
  };
  if (record.expired) formatted.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
  return formatted;
}

function parseStreamArn(arn: string | undefined): { table: string; label: string } {
  const match = arn === undefined ? null : /^arn:aws[\w-]*:dynamodb:[^:]+:\d+:table\/([a-zA-Z0-9_.-]+)\/stream\/(.+)$/.exec(arn);
  if (!match) throw validation(`Invalid StreamArn: ${arn}`);
  return { table: match[1]!, label: match[2]! };
}

async function streamTable(ctx: OperationContext, arn: string | undefined): Promise<{ table: TableInfo; label: string }> {
  const { table: name, label } = parseStreamArn(arn);
  const table = await ctx.tables.getTable(name);
  if (!table?.stream || table.stream.label !== label) throw resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
  return { table, label };
}

export async function listStreams(input: ListStreamsInput, ctx: OperationContext): Promise<ListStreamsOutput> {
  const names = input.TableName === undefined ? await ctx.tables.listTables() : [input.TableName];
  const streams: { StreamArn: string; TableName: string; StreamLabel: string }[] = [];
  for (const name of names) {
    const table = await ctx.tables.getTable(name);
    if (!table?.stream) continue;
    streams.push({ StreamArn: streamArn(ctx.scope, name, table.stream.label), TableName: name, StreamLabel: table.stream.label });
  }
  const start = input.ExclusiveStartStreamArn === undefined ? 0 : streams.findIndex((s) => s.StreamArn === input.ExclusiveStartStreamArn) + 1;
  const limit = input.Limit ?? 100;
  const page = streams.slice(start, start + limit);
  const output: ListStreamsOutput = { Streams: page };
  if (start + limit < streams.length) output.LastEvaluatedStreamArn = page[page.length - 1]!.StreamArn;
  return output;
}

export async function describeStream(input: DescribeStreamInput, ctx: OperationContext): Promise<DescribeStreamOutput> {
  const { table, label } = await streamTable(ctx, input.StreamArn);
  const stream = table.stream!;
  const first = (await ctx.tables.readStream(table.name, { label, limit: 1 }))[0];
  const range: NonNullable<Shard['SequenceNumberRange']> = { StartingSequenceNumber: sequenceNumber(first?.sequence ?? 1) };
  if (!stream.enabled) range.EndingSequenceNumber = sequenceNumber(await ctx.tables.latestSequence());
  const shard: Shard = { ShardId: shardId(table.name, label), SequenceNumberRange: range };
  return {
    StreamDescription: {
      StreamArn: input.StreamArn,
      StreamLabel: label,
      StreamStatus: stream.enabled ? 'ENABLED' : 'DISABLED',
      StreamViewType: stream.viewType,
      CreationRequestDateTime: new Date(stream.createdAt),
      TableName: table.name,
      KeySchema: keySchema(table.key),
      Shards: input.ExclusiveStartShardId === shard.ShardId ? [] : [shard],
    },
  };
}

export async function getShardIterator(input: GetShardIteratorInput, ctx: OperationContext): Promise<GetShardIteratorOutput> {
  const { table, label } = await streamTable(ctx, input.StreamArn);
  if (input.ShardId !== shardId(table.name, label)) throw resourceNotFound(`Requested resource not found: Shard does not exist`);
  let after: number;
  switch (input.ShardIteratorType) {
    case 'TRIM_HORIZON':
      after = 0;
      break;
    case 'LATEST':
      after = await ctx.tables.latestSequence();
      break;
    default: {
      if (input.SequenceNumber === undefined || !/^\d{1,40}$/.test(input.SequenceNumber)) {
        throw validation('Invalid SequenceNumber: A SequenceNumber must be provided for AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER iterators');
      }
      const sequence = Number(input.SequenceNumber);
      after = input.ShardIteratorType === 'AT_SEQUENCE_NUMBER' ? sequence - 1 : sequence;
    }
  }
  return { ShardIterator: encodeIterator({ table: table.name, label, after, issuedAt: ctx.clock.now() }) };
}

export async function getRecords(input: GetRecordsInput, ctx: OperationContext): Promise<GetRecordsOutput> {
  const state = decodeIterator(input.ShardIterator);
  const now = ctx.clock.now();
  if (now - state.issuedAt > ITERATOR_LIFETIME_MS) {
    throw dynamoError('ExpiredIteratorException', `Iterator expired. The iterator was created at time ${new Date(state.issuedAt).toUTCString()} while right now it's ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`);
  }
  const table = await ctx.tables.getTable(state.table);
  if (!table?.stream || table.stream.label !== state.label) throw resourceNotFound('Requested resource not found: Stream no longer exists');
  const records = await storeCall(() => ctx.tables.readStream(state.table, { label: state.label, after: state.after, limit: input.Limit ?? MAX_RECORDS }));
  const last = records[records.length - 1];
  const output: GetRecordsOutput = { Records: records.map((record) => wireRecord(formatStreamRecord(record, table, ctx.scope))) };
  // A disabled stream's shard closes once it has been read to the end.
  if (table.stream.enabled || records.length > 0) {
    output.NextShardIterator = encodeIterator({ ...state, after: last?.sequence ?? state.after, issuedAt: now });
  }
  return output;
}

/**
 * A record as GetRecords sends it: the event-source record, its creation time a timestamp of the model (the kit
 * writes it as epoch seconds again). Its userIdentity keeps the event record's spelling (type, principalId), as
 * the API reference's Record page shows it; the service declares Identity opaque so the kit writes it as given.
 */
function wireRecord(record: Record<string, unknown>): RecordShape {
  const data = record.dynamodb as Record<string, unknown>;
  return { ...record, dynamodb: { ...data, ApproximateCreationDateTime: new Date((data.ApproximateCreationDateTime as number) * 1000) } } as RecordShape;
}

function encodeIterator(state: IteratorState): string {
  return Buffer.from(JSON.stringify([state.table, state.label, state.after, state.issuedAt])).toString('base64url');
}

function decodeIterator(text: string): IteratorState {
  try {
    const [table, label, after, issuedAt] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [string, string, number, number];
    if (typeof table !== 'string' || typeof label !== 'string' || !Number.isFinite(after) || !Number.isFinite(issuedAt)) throw new Error('bad iterator');
    return { table, label, after, issuedAt };
  } catch {
    throw validation('Invalid ShardIterator');
  }
}
