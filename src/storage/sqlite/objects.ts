import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FlintError, type Clock } from '../../core/index.js';
import type {
  BucketInfo,
  ByteRange,
  CompleteUpload,
  DeleteOptions,
  DeleteResult,
  ObjectAttributes,
  ObjectInfo,
  ObjectPage,
  ObjectPatch,
  ObjectQuery,
  ObjectStore,
  ObjectWrite,
  PartInfo,
  PartWrite,
  StagedBody,
  UploadInfo,
  UploadQuery,
  VersioningStatus,
  VersionPage,
  VersionQuery,
  WriteResult,
} from '../ports-objects.js';
import { assertCount, assertNonEmpty } from '../validate.js';
import type { SqliteConnection } from './connection.js';
import { migrateModule } from './migrations.js';
import { isInlineBody, ObjectTables } from './objects-core.js';
import { BodyFiles } from './objects-files.js';
import { listEntries } from './objects-listing.js';
import { insertOutbox } from './queues.js';
import { BUCKET_COLUMNS, attributeSummary, ENTRY_COLUMNS, filesOf, notFound, toBucket, toObject, type BucketRow, type EntryRow } from './objects-rows.js';
import { OBJECTS_MIGRATIONS } from './objects-schema.js';
import { SqliteUploads } from './objects-uploads.js';
import { listVersionRows } from './objects-version-listing.js';
import { VersionRows } from './objects-versions.js';

const OBJECTS_FOLDER = 'objects';

const SQL = {
  bucket: `SELECT ${BUCKET_COLUMNS} FROM object_buckets WHERE name = ?`,
  buckets: `SELECT ${BUCKET_COLUMNS} FROM object_buckets ORDER BY name`,
  createBucket: 'INSERT INTO object_buckets (name, region, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
  deleteBucket: 'DELETE FROM object_buckets WHERE name = ?',
  bucketHasObjects: 'SELECT 1 FROM object_entries WHERE bucket = ? LIMIT 1',
  setConfigs: 'UPDATE object_buckets SET configs = ? WHERE name = ?',
  entry: `SELECT ${ENTRY_COLUMNS} FROM object_entries WHERE bucket = ? AND key = ?`,
} as const;

/**
 * SQLite adapter of the objects store: records in the shared database, small bodies in the database too
 * (object_inline), larger ones as files under `<dir>/objects/` (see BodyFiles and the object_loose_files comment
 * for how no file is ever orphaned).
 */
export class SqliteObjectStore implements ObjectStore {
  private readonly tables: ObjectTables;
  private readonly uploads: SqliteUploads;
  private readonly versions: VersionRows;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly clock: Clock,
    dir: string,
    /** Bodies up to this many bytes live in the database; 0 keeps every body in a file. */
    inlineBodyBytes?: number,
  ) {
    connection.run((db) => migrateModule(db, 'objects', OBJECTS_MIGRATIONS));
    const files = new BodyFiles(join(dir, OBJECTS_FOLDER));
    files.ensureRootSync();
    this.tables = new ObjectTables(connection, files, clock, inlineBodyBytes);
    this.versions = new VersionRows(this.tables);
    this.uploads = new SqliteUploads(this.tables, this.versions);
    this.tables.sweepSync();
  }

  async createBucket(name: string, region: string): Promise<boolean> {
    assertNonEmpty('bucket', name);
    return this.connection.run(() => this.connection.statement(SQL.createBucket).run(name, region, this.clock.now()).changes === 1);
  }

  async getBucket(name: string): Promise<BucketInfo | undefined> {
    const row = this.connection.run(() => this.connection.statement(SQL.bucket).get(name)) as BucketRow | undefined;
    return row && toBucket(row);
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const rows = this.connection.run(() => this.connection.statement(SQL.buckets).all()) as BucketRow[];
    return rows.map(toBucket);
  }

  async deleteBucket(name: string): Promise<void> {
    const retired = this.connection.transaction(() => {
      const versioning = this.versions.versioningOf(name);
      if (this.connection.statement(SQL.bucketHasObjects).get(name) || this.versions.hasNoncurrent(name)) {
        throw new FlintError('RESOURCE_CONFLICT', `bucket ${name} is not empty`, { resource: 'bucket', name, versioned: versioning !== undefined });
      }
      const files = this.uploads.dropAllIn(name);
      this.connection.statement(SQL.deleteBucket).run(name);
      return files;
    });
    await this.tables.retire(retired);
  }

  async setBucketConfig(name: string, kind: string, value: string | undefined): Promise<void> {
    this.connection.transaction(() => {
      const row = this.connection.statement(SQL.bucket).get(name) as BucketRow | undefined;
      if (!row) throw notFound('bucket', name);
      const configs = JSON.parse(row.configs) as Record<string, string>;
      if (value === undefined) delete configs[kind];
      else configs[kind] = value;
      this.connection.statement(SQL.setConfigs).run(JSON.stringify(configs), name);
    });
  }

  async setBucketVersioning(name: string, status: VersioningStatus): Promise<void> {
    this.connection.transaction(() => this.versions.setVersioning(name, status));
  }

  async writeBody(source: AsyncIterable<Uint8Array>): Promise<StagedBody> {
    return this.tables.stage(source);
  }

  async discardBody(body: StagedBody): Promise<void> {
    await this.tables.discard(body);
  }

  async putObject(write: ObjectWrite): Promise<WriteResult> {
    assertNonEmpty('key', write.key);
    const object: ObjectInfo = {
      bucket: write.bucket,
      key: write.key,
      size: write.body.size,
      etag: write.etag,
      lastModified: this.clock.now(),
      attributes: write.attributes,
      body: write.body.id,
      ...attributeSummary(write.attributes),
    };
    const { retired, sequence } = this.connection.transaction(() => {
      const versioning = this.versions.versioningOf(write.bucket);
      checkCondition(write, this.versions.entry(write.bucket, write.key));
      const sequence = this.tables.nextSequence();
      object.body = this.tables.attachObject(write.body, sequence);
      const replaced = this.versions.install(object, sequence, versioning);
      insertOutbox(this.connection, object.lastModified, write.outbox, { object, sequence });
      return { retired: replaced, sequence };
    });
    await this.tables.retire(retired);
    return { object, sequence };
  }

  async getObject(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const row = this.connection.run(() => this.connection.statement(SQL.entry).get(bucket, key)) as EntryRow | undefined;
    return row && toObject(row);
  }

  async getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectInfo | undefined> {
    return this.connection.run(() => this.versions.find(bucket, key, versionId));
  }

  async patchObject(bucket: string, key: string, versionId: string | undefined, patch: ObjectPatch): Promise<ObjectInfo> {
    return this.connection.transaction(() => {
      this.tables.requireBucket(bucket);
      return this.versions.patch(bucket, key, versionId, patch);
    });
  }

  async openBody(object: ObjectInfo, range?: ByteRange): Promise<Readable | undefined> {
    if (isInlineBody(object.body)) {
      const bytes = this.readInline(object.body, range);
      return bytes && Readable.from([bytes], { objectMode: false });
    }
    return this.tables.files.open(filesOf(object.body), object.partSizes ?? [object.size], range);
  }

  async readBody(object: ObjectInfo, range?: ByteRange): Promise<Buffer | undefined> {
    if (isInlineBody(object.body)) return this.readInline(object.body, range);
    return this.tables.files.read(filesOf(object.body), object.partSizes ?? [object.size], range);
  }

  private readInline(id: string, range: ByteRange | undefined): Buffer | undefined {
    const bytes = this.tables.readInline(id);
    return bytes && range ? bytes.subarray(range.start, range.end + 1) : bytes;
  }

  async deleteObject(bucket: string, key: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    const { result, files } = this.connection.transaction(() => {
      const versioning = this.versions.versioningOf(bucket);
      const sequence = this.tables.nextSequence();
      const now = this.clock.now();
      let change: { deleted?: ObjectInfo; marker?: ObjectInfo; retired: string[] };
      if (options.versionId !== undefined) change = this.versions.removeVersion(bucket, key, options.versionId);
      else if (versioning) change = this.versions.addMarker(bucket, key, sequence, versioning, now);
      else change = this.versions.removeEntry(bucket, key);
      const result: DeleteResult = { sequence };
      if (change.deleted) result.deleted = change.deleted;
      if (change.marker) result.marker = change.marker;
      insertOutbox(this.connection, now, options.outbox, result);
      return { result, files: change.retired };
    });
    await this.tables.retire(files);
    return result;
  }

  async listObjects(bucket: string, query: ObjectQuery): Promise<ObjectPage> {
    assertCount('limit', query.limit);
    return this.connection.run(() => {
      this.tables.requireBucket(bucket);
      return listEntries(this.connection, bucket, query);
    });
  }

  async listVersions(bucket: string, query: VersionQuery): Promise<VersionPage> {
    assertCount('limit', query.limit);
    return this.connection.run(() => {
      this.tables.requireBucket(bucket);
      return listVersionRows(this.connection, bucket, query);
    });
  }

  async createUpload(bucket: string, key: string, attributes: ObjectAttributes): Promise<UploadInfo> {
    assertNonEmpty('key', key);
    return this.uploads.create(bucket, key, attributes);
  }

  async getUpload(uploadId: string): Promise<UploadInfo | undefined> {
    return this.uploads.get(uploadId);
  }

  async putPart(write: PartWrite): Promise<PartInfo> {
    return this.uploads.putPart(write);
  }

  async listParts(uploadId: string, options: { after?: number; limit: number }): Promise<{ parts: PartInfo[]; truncated: boolean }> {
    assertCount('limit', options.limit);
    return this.uploads.listParts(uploadId, options);
  }

  async listUploads(bucket: string, query: UploadQuery): Promise<{ uploads: UploadInfo[]; truncated: boolean }> {
    assertCount('limit', query.limit);
    return this.uploads.list(bucket, query);
  }

  async completeUpload(complete: CompleteUpload): Promise<WriteResult> {
    return this.uploads.complete(complete);
  }

  async abortUpload(uploadId: string): Promise<boolean> {
    return this.uploads.abort(uploadId);
  }
}

function checkCondition(write: ObjectWrite, current: { etag: string } | undefined): void {
  if (write.ifNoneMatch && current) {
    throw new FlintError('PRECONDITION_FAILED', `${write.bucket}/${write.key} exists`, { condition: 'If-None-Match' });
  }
  if (write.ifMatch === undefined) return;
  if (!current) throw notFound('key', write.key);
  if (current.etag !== write.ifMatch) {
    throw new FlintError('PRECONDITION_FAILED', `${write.bucket}/${write.key} has another ETag`, { condition: 'If-Match' });
  }
}
