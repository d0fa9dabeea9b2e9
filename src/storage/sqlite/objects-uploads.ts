import { FlintError, shortId } from '../../core/index.js';
import { prefixUpperBound } from '../keys.js';
import type { CompleteUpload, ObjectAttributes, ObjectInfo, PartInfo, PartWrite, UploadInfo, UploadQuery, WriteResult } from '../ports-objects.js';
import type { SqliteConnection } from './connection.js';
import type { ObjectTables } from './objects-core.js';
import { insertOutbox } from './queues.js';
import type { VersionRows } from './objects-versions.js';
import {
  attributeSummary,
  notFound,
  PART_COLUMNS,
  toPart,
  toUpload,
  UPLOAD_COLUMNS,
  type PartRow,
  type UploadRow,
} from './objects-rows.js';

const SQL = {
  insert: `INSERT INTO object_uploads (${UPLOAD_COLUMNS}) VALUES (?, ?, ?, ?, ?)`,
  get: `SELECT ${UPLOAD_COLUMNS} FROM object_uploads WHERE upload_id = ?`,
  delete: 'DELETE FROM object_uploads WHERE upload_id = ?',
  inBucket: 'SELECT upload_id FROM object_uploads WHERE bucket = ?',
  part: 'SELECT file FROM object_parts WHERE upload_id = ? AND part_number = ?',
  putPart: `INSERT OR REPLACE INTO object_parts (upload_id, ${PART_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  parts: `SELECT ${PART_COLUMNS} FROM object_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?`,
  allParts: `SELECT ${PART_COLUMNS} FROM object_parts WHERE upload_id = ? ORDER BY part_number`,
  deleteParts: 'DELETE FROM object_parts WHERE upload_id = ?',
} as const;

/** Multipart uploads: each part is a body file of its own; completing makes the parts' files the object's body. */
export class SqliteUploads {
  private readonly connection: SqliteConnection;

  constructor(
    private readonly tables: ObjectTables,
    private readonly versions: VersionRows,
  ) {
    this.connection = tables.connection;
  }

  create(bucket: string, key: string, attributes: ObjectAttributes): UploadInfo {
    const upload: UploadInfo = { uploadId: shortId(24), bucket, key, initiated: this.tables.clock.now(), attributes };
    this.connection.transaction(() => {
      this.tables.requireBucket(bucket);
      this.connection.statement(SQL.insert).run(upload.uploadId, bucket, key, upload.initiated, JSON.stringify(attributes));
    });
    return upload;
  }

  get(uploadId: string): UploadInfo | undefined {
    const row = this.connection.run(() => this.connection.statement(SQL.get).get(uploadId)) as UploadRow | undefined;
    return row && toUpload(row);
  }

  async putPart(write: PartWrite): Promise<PartInfo> {
    const body = await this.tables.toFile(write.body);
    const part: PartInfo = { partNumber: write.partNumber, size: body.size, etag: write.etag, lastModified: this.tables.clock.now() };
    if (write.checksum !== undefined) part.checksum = write.checksum;
    let replaced: string[];
    try {
      replaced = this.connection.transaction(() => {
        this.requireUpload(write.uploadId);
        const old = this.connection.statement(SQL.part).get(write.uploadId, write.partNumber) as { file: string } | undefined;
        this.tables.attachFile(body);
        this.connection.statement(SQL.putPart).run(write.uploadId, part.partNumber, body.id, part.size, part.etag, part.checksum ?? null, part.lastModified);
        const files = old ? [old.file] : [];
        this.tables.detach(files);
        return files;
      });
    } catch (error) {
      // The caller discards the body it gave; a file made from an inline one is this method's to drop.
      if (body !== write.body) await this.tables.discard(body);
      throw error;
    }
    await this.tables.retire(replaced);
    return part;
  }

  listParts(uploadId: string, options: { after?: number; limit: number }): { parts: PartInfo[]; truncated: boolean } {
    return this.connection.run(() => {
      this.requireUpload(uploadId);
      const rows = this.connection.statement(SQL.parts).all(uploadId, options.after ?? 0, options.limit + 1) as PartRow[];
      return { parts: rows.slice(0, options.limit).map(toPart), truncated: rows.length > options.limit };
    });
  }

  list(bucket: string, query: UploadQuery): { uploads: UploadInfo[]; truncated: boolean } {
    return this.connection.run(() => {
      this.tables.requireBucket(bucket);
      const { sql, params } = uploadsQuery(bucket, query, this.markerOf(query));
      const rows = this.connection.statement(sql).all(...params, query.limit + 1) as UploadRow[];
      return { uploads: rows.slice(0, query.limit).map(toUpload), truncated: rows.length > query.limit };
    });
  }

  async complete(complete: CompleteUpload): Promise<WriteResult> {
    const { object, retired, sequence } = this.connection.transaction(() => {
      const upload = this.requireUpload(complete.uploadId);
      const versioning = this.versions.versioningOf(upload.bucket);
      const stored = new Map((this.connection.statement(SQL.allParts).all(complete.uploadId) as PartRow[]).map((row) => [row.part_number, row]));
      const chosen = complete.parts.map(({ partNumber, etag }) => {
        const row = stored.get(partNumber);
        if (!row || row.etag !== etag) throw new FlintError('PRECONDITION_FAILED', `part ${partNumber} is missing or changed`, { partNumber });
        stored.delete(partNumber);
        return row;
      });
      const object = assembled(upload, chosen, complete, this.tables.clock.now());
      const unused = [...stored.values()].map((row) => row.file);
      this.tables.detach(unused);
      this.drop(complete.uploadId);
      const sequence = this.tables.nextSequence();
      const retired = [...this.versions.install(object, sequence, versioning), ...unused];
      insertOutbox(this.connection, object.lastModified, complete.outbox, { object, sequence });
      return { object, retired, sequence };
    });
    await this.tables.retire(retired);
    return { object, sequence };
  }

  async abort(uploadId: string): Promise<boolean> {
    const retired = this.connection.transaction(() => {
      if (!this.connection.statement(SQL.get).get(uploadId)) return undefined;
      const files = this.drop(uploadId);
      this.tables.detach(files);
      return files;
    });
    if (!retired) return false;
    await this.tables.retire(retired);
    return true;
  }

  /** Inside a transaction: ends every upload into the bucket; returns the files to retire after the commit. */
  dropAllIn(bucket: string): string[] {
    const ids = (this.connection.statement(SQL.inBucket).all(bucket) as { upload_id: string }[]).map((row) => row.upload_id);
    const files = ids.flatMap((id) => this.drop(id));
    this.tables.detach(files);
    return files;
  }

  /** Inside a transaction: deletes the upload and its parts' rows; returns the parts' files. */
  private drop(uploadId: string): string[] {
    const files = (this.connection.statement(SQL.allParts).all(uploadId) as PartRow[]).map((row) => row.file);
    this.connection.statement(SQL.deleteParts).run(uploadId);
    this.connection.statement(SQL.delete).run(uploadId);
    return files;
  }

  private requireUpload(uploadId: string): UploadInfo {
    const row = this.connection.statement(SQL.get).get(uploadId) as UploadRow | undefined;
    if (!row) throw notFound('upload', uploadId);
    return toUpload(row);
  }

  private markerOf(query: UploadQuery): { initiated: number; uploadId: string } | undefined {
    if (query.keyMarker === undefined || query.uploadIdMarker === undefined) return undefined;
    const row = this.connection.statement(SQL.get).get(query.uploadIdMarker) as UploadRow | undefined;
    return row && row.key === query.keyMarker ? { initiated: row.initiated, uploadId: row.upload_id } : undefined;
  }
}

function assembled(upload: UploadInfo, parts: PartRow[], complete: CompleteUpload, now: number): ObjectInfo {
  const attributes: ObjectAttributes = { ...upload.attributes };
  if (complete.checksum) attributes.checksum = complete.checksum;
  else delete attributes.checksum;
  return {
    bucket: upload.bucket,
    key: upload.key,
    size: parts.reduce((sum, part) => sum + part.size, 0),
    etag: complete.etag,
    lastModified: now,
    attributes,
    body: parts.map((part) => part.file).join(','),
    partSizes: parts.map((part) => part.size),
    ...partChecksums(parts),
    ...attributeSummary(attributes),
  };
}

/** Uploads in (key, initiated, upload id) order, after the marker, within the prefix. */
function uploadsQuery(bucket: string, query: UploadQuery, marker: { initiated: number; uploadId: string } | undefined): { sql: string; params: unknown[] } {
  const where = ['bucket = ?'];
  const params: unknown[] = [bucket];
  if (query.prefix) {
    where.push('key >= ?');
    params.push(query.prefix);
    const upper = prefixUpperBound(query.prefix);
    if (upper !== undefined) {
      where.push('key < ?');
      params.push(upper);
    }
  }
  if (query.keyMarker !== undefined) {
    if (marker) {
      where.push('(key > ? OR (key = ? AND (initiated, upload_id) > (?, ?)))');
      params.push(query.keyMarker, query.keyMarker, marker.initiated, marker.uploadId);
    } else {
      where.push('key > ?');
      params.push(query.keyMarker);
    }
  }
  return { sql: `SELECT ${UPLOAD_COLUMNS} FROM object_uploads WHERE ${where.join(' AND ')} ORDER BY key, initiated, upload_id LIMIT ?`, params };
}

/** The parts' checksums, kept only when every part has one (an upload with a checksum algorithm). */
function partChecksums(parts: PartRow[]): Pick<ObjectInfo, 'partChecksums'> {
  const checksums = parts.map((part) => part.checksum);
  return checksums.length > 0 && checksums.every((value) => value) ? { partChecksums: checksums as string[] } : {};
}
