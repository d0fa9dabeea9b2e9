import { gunzipSync } from 'node:zlib';
import type { AttributeValue, Item, TableInfo } from '../../../storage/index.js';
import { checkItemKeys, keyOf, keyText } from '../keys.js';
import type { TableSettings } from '../table-model.js';
import { checkItem, checkValue } from '../values/attributes.js';
import { itemSize, MAX_ITEM_BYTES } from '../values/size.js';
import { parseCsv } from './csv.js';
import { ionItem } from './ion.js';
import type { ImportRecord } from './import-records.js';
import { IMPORTS, type Transfers } from './jobs.js';
import { NO_SUCH_BUCKET, objectsUnder, readObject } from './s3-objects.js';

/** How many items pass between saves of the import's counters, so DescribeImport shows progress. */
const SAVE_EVERY = 1000;
/** Items written in one store transaction. */
const BATCH_ITEMS = 100;

interface Counts {
  processedSizeBytes: number;
  processedItemCount: number;
  importedItemCount: number;
  errorCount: number;
}

/**
 * Loads every object under the import's prefix into its new table. A line (or CSV record) that does not make a
 * valid item is counted in ErrorCount and skipped, as DynamoDB does; the import still completes. A bucket that is
 * not there fails the import, and the table it created is deleted.
 */
export async function runImport(transfers: Transfers, record: ImportRecord): Promise<void> {
  const { objects, tables } = transfers;
  const bucket = record.source.S3Bucket;
  const table = await tables.getTable(record.tableName);
  if (!(await objects.getBucket(bucket)) || !table) {
    if (table) await tables.deleteTable(record.tableName);
    const failure = table ? NO_SUCH_BUCKET : { code: 'ResourceNotFoundException', message: `Table ${record.tableName} was deleted during the import` };
    return save(transfers, { ...record, status: 'FAILED', failureCode: failure.code, failureMessage: failure.message, endTime: transfers.clock.now() });
  }
  const counts: Counts = { processedSizeBytes: 0, processedItemCount: 0, importedItemCount: 0, errorCount: 0 };
  const loader = new Loader(transfers, table, counts);
  for await (const summary of objectsUnder(objects, bucket, record.source.S3KeyPrefix ?? '')) {
    const bytes = await readObject(objects, bucket, summary.key);
    if (!bytes) continue;
    counts.processedSizeBytes += bytes.length;
    let text: string;
    try {
      text = (record.compression === 'GZIP' ? gunzipSync(bytes) : bytes).toString('utf8');
    } catch {
      counts.errorCount += 1;
      continue;
    }
    for (const item of itemsOf(text, record, table)) {
      counts.processedItemCount += 1;
      if (item) await loader.add(item);
      else counts.errorCount += 1;
      if (counts.processedItemCount % SAVE_EVERY === 0) await save(transfers, { ...record, ...counts });
    }
  }
  await loader.flush();
  await save(transfers, { ...record, ...counts, status: 'COMPLETED', endTime: transfers.clock.now() });
}

async function save(transfers: Transfers, record: ImportRecord): Promise<void> {
  await transfers.metadata.put(IMPORTS, record.arn, record);
}

/** The items of one object, undefined for each line or record that is not a valid item. */
function* itemsOf(text: string, record: ImportRecord, table: TableInfo): Generator<Item | undefined> {
  if (record.format === 'CSV') {
    const csv = record.formatOptions?.Csv;
    const records = parseCsv(text, csv?.Delimiter ?? ',');
    const header = csv?.HeaderList ?? records.shift() ?? [];
    for (const values of records) yield guard(() => csvItem(header, values, table));
    return;
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    yield guard(() => (record.format === 'ION' ? checked(checkItem(ionItem(line)), table) : jsonItem(line, table)));
  }
}

function guard(make: () => Item): Item | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

/** One line of DynamoDB JSON: {"Item":{...}}, as an export writes it. */
function jsonItem(line: string, table: TableInfo): Item {
  const parsed: unknown = JSON.parse(line);
  const item = (parsed as { Item?: unknown } | null)?.Item;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Error('no Item');
  return checked(checkItem(item as Record<string, unknown>), table);
}

/** One CSV record: key attributes take the type their AttributeDefinition gives, every other value is a String. */
function csvItem(header: string[], values: string[], table: TableInfo): Item {
  if (values.length > header.length) throw new Error('more values than columns');
  const types = new Map((table.settings as unknown as TableSettings).attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  const item: Item = {};
  header.forEach((name, i) => {
    const text = values[i];
    if (text === undefined || text === '') return;
    const type = types.get(name) ?? 'S';
    item[name] = checkValue({ [type]: text }) as AttributeValue;
  });
  return checked(item, table);
}

function checked(item: Item, table: TableInfo): Item {
  checkItemKeys(item, table);
  if (itemSize(item) > MAX_ITEM_BYTES) throw new Error('item too large');
  return item;
}

/**
 * Writes valid items in batches of distinct keys, one store transaction each (a later line with the same key
 * starts a new batch, so the last one wins as it does in DynamoDB); if a batch fails, its items are written one by
 * one so that only the failing ones are counted as errors.
 */
class Loader {
  private batch: Item[] = [];
  private readonly keys = new Set<string>();

  constructor(
    private readonly transfers: Transfers,
    private readonly table: TableInfo,
    private readonly counts: Counts,
  ) {}

  async add(item: Item): Promise<void> {
    const key = keyText(this.table.name, keyOf(item, this.table.key), this.table.key);
    if (this.keys.has(key)) await this.flush();
    this.batch.push(item);
    this.keys.add(key);
    if (this.batch.length >= BATCH_ITEMS) await this.flush();
  }

  async flush(): Promise<void> {
    const items = this.batch;
    this.batch = [];
    this.keys.clear();
    if (items.length === 0) return;
    if (await this.write(items)) {
      this.counts.importedItemCount += items.length;
      return;
    }
    for (const item of items) {
      if (await this.write([item])) this.counts.importedItemCount += 1;
      else this.counts.errorCount += 1;
    }
  }

  private async write(items: Item[]): Promise<boolean> {
    const { name, key } = this.table;
    try {
      await this.transfers.tables.write(
        items.map((item) => ({ table: name, key: keyOf(item, key), blind: true })),
        () => ({ changes: items.map((item) => ({ put: item, size: itemSize(item) })), result: undefined }),
      );
      return true;
    } catch {
      return false;
    }
  }
}
