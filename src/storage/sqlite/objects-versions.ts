import { FlintError } from '../../core/index.js';
import type { ObjectAttributes, ObjectInfo, ObjectPatch, VersioningStatus } from '../ports-objects.js';
import { newVersionId } from '../version-ids.js';
import type { SqliteConnection } from './connection.js';
import type { ObjectTables } from './objects-core.js';
import { ENTRY_COLUMNS, ENTRY_PLACEHOLDERS, entryValues, filesOf, notFound, toObject, type EntryRow, type VersionRow } from './objects-rows.js';

const VERSION_COLUMNS = `${ENTRY_COLUMNS}, marker`;

const SQL = {
  versioning: 'SELECT versioning FROM object_buckets WHERE name = ?',
  setVersioning: 'UPDATE object_buckets SET versioning = ? WHERE name = ?',
  entry: `SELECT ${ENTRY_COLUMNS} FROM object_entries WHERE bucket = ? AND key = ?`,
  upsertEntry: `INSERT OR REPLACE INTO object_entries (${ENTRY_COLUMNS}) VALUES (${ENTRY_PLACEHOLDERS})`,
  deleteEntry: 'DELETE FROM object_entries WHERE bucket = ? AND key = ?',
  archive: `INSERT INTO object_versions (${VERSION_COLUMNS}) SELECT ${ENTRY_COLUMNS}, 0 FROM object_entries WHERE bucket = ? AND key = ?`,
  promote: `INSERT INTO object_entries (${ENTRY_COLUMNS}) SELECT ${ENTRY_COLUMNS} FROM object_versions WHERE bucket = ? AND key = ? AND seq = ?`,
  insertVersion: `INSERT INTO object_versions (${VERSION_COLUMNS}) VALUES (${ENTRY_PLACEHOLDERS}, ?)`,
  version: `SELECT ${VERSION_COLUMNS} FROM object_versions WHERE bucket = ? AND key = ? AND version_id IS ?`,
  newest: `SELECT ${VERSION_COLUMNS} FROM object_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1`,
  deleteVersion: 'DELETE FROM object_versions WHERE bucket = ? AND key = ? AND seq = ?',
  entryAttributes: 'UPDATE object_entries SET attributes = ? WHERE bucket = ? AND key = ?',
  versionAttributes: 'UPDATE object_versions SET attributes = ? WHERE bucket = ? AND key = ? AND seq = ?',
  anyVersion: 'SELECT 1 FROM object_versions WHERE bucket = ? LIMIT 1',
} as const;

/** The stored id of a version id as callers name it: NULL for the null version. */
function storedId(versionId: string): string | null {
  return versionId === 'null' ? null : versionId;
}

/**
 * A key's history of versions across object_entries (its latest version, when that is an object) and
 * object_versions (the others). Every method runs inside the caller's transaction and keeps the invariant of
 * objects-schema.ts migration 3: a key has an entry exactly when its newest version is an object. Methods return
 * the body files their change left unreferenced (already detached); the caller retires them after the commit.
 */
export class VersionRows {
  private readonly connection: SqliteConnection;

  constructor(private readonly tables: ObjectTables) {
    this.connection = tables.connection;
  }

  /** The bucket's versioning; NOT_FOUND if the bucket is absent. */
  versioningOf(bucket: string): VersioningStatus | undefined {
    const row = this.connection.statement(SQL.versioning).get(bucket) as { versioning: string | null } | undefined;
    if (!row) throw notFound('bucket', bucket);
    return (row.versioning ?? undefined) as VersioningStatus | undefined;
  }

  setVersioning(bucket: string, status: VersioningStatus): void {
    if (this.connection.statement(SQL.setVersioning).run(status, bucket).changes !== 1) throw notFound('bucket', bucket);
  }

  hasNoncurrent(bucket: string): boolean {
    return this.connection.statement(SQL.anyVersion).get(bucket) !== undefined;
  }

  entry(bucket: string, key: string): EntryRow | undefined {
    return this.connection.statement(SQL.entry).get(bucket, key) as EntryRow | undefined;
  }

  /** Makes `object` (not yet stored) the key's latest version, giving it a version id while versioning is Enabled. */
  install(object: ObjectInfo, seq: number, versioning: VersioningStatus | undefined): string[] {
    if (versioning === 'Enabled') object.versionId = newVersionId();
    else delete object.versionId;
    const retired = this.supersede(object.bucket, object.key, versioning);
    this.connection.statement(SQL.upsertEntry).run(...entryValues(object, seq));
    this.tables.detach(retired);
    return retired;
  }

  /** Adds a delete marker as the key's latest version (versioned buckets only). */
  addMarker(bucket: string, key: string, seq: number, versioning: VersioningStatus, now: number): { marker: ObjectInfo; retired: string[] } {
    const retired = this.supersede(bucket, key, versioning);
    this.connection.statement(SQL.deleteEntry).run(bucket, key);
    const marker: ObjectInfo = { bucket, key, size: 0, etag: '', lastModified: now, attributes: { metadata: {} }, body: '', deleteMarker: true };
    if (versioning === 'Enabled') marker.versionId = newVersionId();
    this.connection.statement(SQL.insertVersion).run(...entryValues(marker, seq), 1);
    this.tables.detach(retired);
    return { marker, retired };
  }

  /** Removes the key's object for good (unversioned buckets). */
  removeEntry(bucket: string, key: string): { deleted?: ObjectInfo; retired: string[] } {
    const row = this.entry(bucket, key);
    if (!row) return { retired: [] };
    this.connection.statement(SQL.deleteEntry).run(bucket, key);
    const retired = filesOf(row.body);
    this.tables.detach(retired);
    return { deleted: toObject(row), retired };
  }

  /** Removes one version for good; if it was the latest, the next newest takes its place. */
  removeVersion(bucket: string, key: string, versionId: string): { deleted?: ObjectInfo; retired: string[] } {
    const id = storedId(versionId);
    const entry = this.entry(bucket, key);
    let deleted: ObjectInfo;
    let retired: string[];
    if (entry && entry.version_id === id) {
      this.connection.statement(SQL.deleteEntry).run(bucket, key);
      deleted = toObject(entry);
      retired = filesOf(entry.body);
    } else {
      const row = this.connection.statement(SQL.version).get(bucket, key, id) as VersionRow | undefined;
      if (!row) return { retired: [] };
      this.connection.statement(SQL.deleteVersion).run(bucket, key, row.seq);
      deleted = toObject(row);
      retired = row.marker === 1 ? [] : filesOf(row.body);
    }
    if (!entry || entry.version_id === id) this.promoteNewest(bucket, key);
    this.tables.detach(retired);
    return { deleted, retired };
  }

  /** One version, delete markers included; without a version id, the latest. */
  find(bucket: string, key: string, versionId: string | undefined): ObjectInfo | undefined {
    const row = this.findRow(bucket, key, versionId);
    return row && toObject(row);
  }

  /** Rewrites tags, ACL, retention or legal hold of one version in place. */
  patch(bucket: string, key: string, versionId: string | undefined, patch: ObjectPatch): ObjectInfo {
    const row = this.findRow(bucket, key, versionId);
    if (!row) throw versionId === undefined ? notFound('key', key) : notFound('version', versionId);
    if ('marker' in row && row.marker === 1) throw new FlintError('METHOD_NOT_ALLOWED', `${bucket}/${key} is a delete marker`, { resource: 'DeleteMarker' });
    const object = toObject(row);
    object.attributes = patched(object.attributes, patch);
    const attributes = JSON.stringify(object.attributes);
    if ('marker' in row) this.connection.statement(SQL.versionAttributes).run(attributes, bucket, key, row.seq);
    else this.connection.statement(SQL.entryAttributes).run(attributes, bucket, key);
    return object;
  }

  private findRow(bucket: string, key: string, versionId: string | undefined): EntryRow | VersionRow | undefined {
    const entry = this.entry(bucket, key);
    if (versionId === undefined) return entry ?? this.newest(bucket, key);
    const id = storedId(versionId);
    if (entry && entry.version_id === id) return entry;
    return this.connection.statement(SQL.version).get(bucket, key, id) as VersionRow | undefined;
  }

  private newest(bucket: string, key: string): VersionRow | undefined {
    return this.connection.statement(SQL.newest).get(bucket, key) as VersionRow | undefined;
  }

  /**
   * Before a new latest version is written: unversioned, the current object goes; Enabled, it joins the history;
   * Suspended, the null version goes wherever it is and any other current object joins the history.
   */
  private supersede(bucket: string, key: string, versioning: VersioningStatus | undefined): string[] {
    const current = this.entry(bucket, key);
    const retired: string[] = [];
    if (current) {
      if (versioning === undefined || (versioning === 'Suspended' && current.version_id === null)) retired.push(...filesOf(current.body));
      else this.connection.statement(SQL.archive).run(bucket, key);
    }
    if (versioning === 'Suspended') {
      const nullVersion = this.connection.statement(SQL.version).get(bucket, key, null) as VersionRow | undefined;
      if (nullVersion) {
        this.connection.statement(SQL.deleteVersion).run(bucket, key, nullVersion.seq);
        if (nullVersion.marker !== 1) retired.push(...filesOf(nullVersion.body));
      }
    }
    return retired;
  }

  /** After the latest version went: the newest remaining one becomes the entry if it is an object. */
  private promoteNewest(bucket: string, key: string): void {
    const newest = this.newest(bucket, key);
    if (!newest || newest.marker === 1) return;
    this.connection.statement(SQL.promote).run(bucket, key, newest.seq);
    this.connection.statement(SQL.deleteVersion).run(bucket, key, newest.seq);
  }
}

function patched(attributes: ObjectAttributes, patch: ObjectPatch): ObjectAttributes {
  const next: ObjectAttributes = { ...attributes };
  if (patch.tags !== undefined) {
    if (patch.tags.length > 0) next.tags = patch.tags;
    else delete next.tags;
  }
  if (patch.acl !== undefined) next.acl = patch.acl;
  if (patch.retention === null) delete next.retention;
  else if (patch.retention !== undefined) next.retention = patch.retention;
  if (patch.legalHold !== undefined) next.legalHold = patch.legalHold;
  return next;
}
