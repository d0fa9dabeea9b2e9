/**
 * A StreamSource over the tables store: DynamoDB stream ARNs to stream records in the shape Lambda delivers. The
 * record format is DynamoDB's (services/dynamodb formatStreamRecord), handed in by the platform since events sits
 * below services.
 */
import { createHash } from 'node:crypto';
import { FlintError } from '../core/index.js';
import type { StreamRecord, TableInfo, TableStore } from '../storage/index.js';
import { parseStreamArn } from './arns.js';
import type { StreamDescription, StreamEntry, StreamSource } from './ports.js';

export interface TableStreamSourceOptions {
  tables: TableStore;
  /** A stream record as Lambda's DynamoDB event carries it (without eventSourceARN). */
  format: (record: StreamRecord, table: TableInfo) => Record<string, unknown>;
}

export class TableStreamSource implements StreamSource {
  constructor(private readonly options: TableStreamSourceOptions) {}

  async describe(streamArn: string): Promise<StreamDescription | undefined> {
    const found = await this.find(streamArn);
    if (!found) return undefined;
    const { table, label } = found;
    return { table: table.name, label, shardId: shardId(table.name, label), enabled: table.stream?.enabled ?? false };
  }

  latestSequence(): Promise<number> {
    return this.options.tables.latestSequence();
  }

  async read(streamArn: string, after: number, limit: number): Promise<StreamEntry[]> {
    const found = await this.find(streamArn);
    if (!found) throw new FlintError('NOT_FOUND', `Stream not found: ${streamArn}`, { stream: streamArn });
    const records = await this.options.tables.readStream(found.table.name, { label: found.label, after, limit });
    return records.map((record) => ({ sequence: record.sequence, createdAt: record.createdAt, record: this.options.format(record, found.table) }));
  }

  /** The table, if the ARN names its current stream. */
  private async find(streamArn: string): Promise<{ table: TableInfo; label: string } | undefined> {
    const parsed = parseStreamArn(streamArn);
    if (!parsed) return undefined;
    const table = await this.options.tables.getTable(parsed.table);
    return table?.stream?.label === parsed.label ? { table, label: parsed.label } : undefined;
  }
}

/** The one shard of a stream, named as DynamoDB's DescribeStream names it. */
function shardId(table: string, label: string): string {
  const hash = createHash('sha256').update(`${table}/${label}`).digest('hex').slice(0, 8);
  return `shardId-${String(Date.parse(`${label}Z`)).padStart(20, '0')}-${hash}`;
}
