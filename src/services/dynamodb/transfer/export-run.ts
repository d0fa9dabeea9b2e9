import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Item, TableInfo } from '../../../storage/index.js';
import { keyOf } from '../keys.js';
import { itemSize } from '../values/size.js';
import { exportFolder, manifestSummary, type ExportRecord } from './export-records.js';
import { dataExtension, itemLine } from './formats.js';
import { EXPORTS, type Transfers } from './jobs.js';
import { md5, NO_SUCH_BUCKET, writeObject } from './s3-objects.js';

/** Items per data file; DynamoDB decides its own split, readers take every file the manifest lists. */
const ITEMS_PER_FILE = 10_000;
const SCAN_PAGE = 1000;

interface DataFile {
  itemCount: number;
  md5Checksum: string;
  etag: string;
  dataFileS3Key: string;
}

/** S3-safe random names like DynamoDB's data files ("data/bafybeiczss3yxay3o4abnabbb.json.gz"). */
function dataFileName(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return [...randomBytes(26)].map((byte) => alphabet[byte % 32]).join('');
}

/**
 * Writes the export into its bucket as DynamoDB does: `_started`, the gzipped data files, manifest-files.json
 * (one JSON line per data file) and, last, manifest-summary.json, each manifest with a `.md5` file beside it;
 * then marks the record COMPLETED, or FAILED with the S3 error if the bucket is not there.
 */
export async function runExport(transfers: Transfers, record: ExportRecord): Promise<void> {
  const { objects } = transfers;
  if (!(await objects.getBucket(record.bucket))) return finish(transfers, record, { failureCode: NO_SUCH_BUCKET.code, failureMessage: NO_SUCH_BUCKET.message });
  const table = await transfers.tables.getTable(record.tableName);
  if (!table) return finish(transfers, record, { failureCode: 'TableNotFoundException', failureMessage: `Table not found: ${record.tableArn}` });
  const folder = exportFolder(record);
  await writeObject(objects, record.bucket, `${folder}_started`, Buffer.alloc(0));
  const files: DataFile[] = [];
  let itemCount = 0;
  let billedSizeBytes = 0;
  let lines: string[] = [];
  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    const key = `${folder}data/${dataFileName()}.${dataExtension(record.format)}.gz`;
    const bytes = gzipSync(Buffer.from(`${lines.join('\n')}\n`));
    const etag = await writeObject(objects, record.bucket, key, bytes, 'application/x-gzip');
    files.push({ itemCount: lines.length, md5Checksum: md5(bytes).toString('base64'), etag, dataFileS3Key: key });
    lines = [];
  };
  for await (const item of scanAll(transfers, table)) {
    lines.push(itemLine(item, record.format));
    itemCount += 1;
    billedSizeBytes += itemSize(item);
    if (lines.length >= ITEMS_PER_FILE) await flush();
  }
  await flush();
  const manifestFilesKey = `${folder}manifest-files.json`;
  await writeManifest(transfers, record.bucket, manifestFilesKey, files.map((file) => JSON.stringify(file)).join('\n') + (files.length ? '\n' : ''));
  const done: ExportRecord = { ...record, itemCount, billedSizeBytes, endTime: transfers.clock.now(), manifest: `${folder}manifest-summary.json` };
  await writeManifest(transfers, record.bucket, done.manifest!, JSON.stringify(manifestSummary(done, manifestFilesKey)));
  await transfers.metadata.put(EXPORTS, record.arn, { ...done, status: 'COMPLETED' });
}

async function writeManifest(transfers: Transfers, bucket: string, key: string, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  await writeObject(transfers.objects, bucket, key, bytes, 'application/json');
  await writeObject(transfers.objects, bucket, key.replace(/\.json$/, '.md5'), Buffer.from(md5(bytes).toString('base64')));
}

async function finish(transfers: Transfers, record: ExportRecord, failure: { failureCode: string; failureMessage: string }): Promise<void> {
  await transfers.metadata.put(EXPORTS, record.arn, { ...record, ...failure, status: 'FAILED', endTime: transfers.clock.now() });
}

/** Every item of the table, page by page. */
async function* scanAll(transfers: Transfers, table: TableInfo): AsyncGenerator<Item> {
  let startAfter: Item | undefined;
  for (;;) {
    const page = await transfers.tables.scan({ table: table.name, startAfter, limit: SCAN_PAGE });
    yield* page.items;
    if (!page.truncated || page.items.length === 0) return;
    startAfter = keyOf(page.items[page.items.length - 1]!, table.key);
  }
}
