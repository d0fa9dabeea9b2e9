import type { Migration } from './migrations.js';

/** The objects store's own schema (module "objects" in schema_modules). Never edit a shipped migration. */
export const OBJECTS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'buckets, objects, multipart uploads and body files',
    up: `
      CREATE TABLE object_buckets (
        name TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        configs TEXT NOT NULL DEFAULT '{}'
      ) WITHOUT ROWID;

      -- body: the file ids holding the bytes, comma-separated in part order; part_sizes (JSON) is set for
      -- objects completed from a multipart upload. TEXT compares as UTF-8 bytes, S3's listing order.
      CREATE TABLE object_entries (
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        last_modified INTEGER NOT NULL,
        checksum_algorithm TEXT,
        checksum_type TEXT,
        attributes TEXT NOT NULL,
        body TEXT NOT NULL,
        part_sizes TEXT,
        PRIMARY KEY (bucket, key)
      ) WITHOUT ROWID;

      CREATE TABLE object_uploads (
        upload_id TEXT PRIMARY KEY,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        initiated INTEGER NOT NULL,
        attributes TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX object_uploads_by_key ON object_uploads (bucket, key, initiated, upload_id);

      CREATE TABLE object_parts (
        upload_id TEXT NOT NULL,
        part_number INTEGER NOT NULL,
        file TEXT NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        checksum TEXT,
        last_modified INTEGER NOT NULL,
        PRIMARY KEY (upload_id, part_number)
      ) WITHOUT ROWID;

      -- Every body file is either named by an entry or a part, or listed here: a file is listed before its
      -- first byte is written (since = write start) and leaves the list in the transaction that attaches it;
      -- a replaced or deleted file joins the list (since = 0) in the transaction that detaches it. Whatever
      -- moment a crash hits, a file nobody references is listed, and the sweep at open removes it.
      CREATE TABLE object_loose_files (
        file TEXT PRIMARY KEY,
        since INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE object_sequence (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
      );
      INSERT INTO object_sequence (id, value) VALUES (1, 0);
    `,
  },
  {
    version: 2,
    name: 'small bodies inside the database',
    // An entry's body column "i<id>" names one row here instead of files: small objects then cost one
    // transaction and no file system calls. The id is the object sequence number of the write that stored the
    // row, so ids are never reused. A row lives exactly as long as an entry names it, so it needs none of the
    // loose-file bookkeeping.
    up: `
      CREATE TABLE object_inline (
        id INTEGER PRIMARY KEY,
        data BLOB NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'object versions and delete markers',
    // object_entries keeps what it always kept, each key's latest version when that is an object, so listings and
    // reads of the latest version are unchanged; it gains the version's id (NULL: the null version) and seq, the
    // object sequence number of the write that made it (0 for rows written before this migration, which are null
    // versions). object_versions holds every other version: older objects and all delete markers (marker = 1, with
    // size 0, empty etag and body). A key's latest version is its entry, or else its newest row here, which is
    // then a delete marker. Bodies named here are referenced like those of entries (see object_loose_files).
    up: `
      ALTER TABLE object_buckets ADD COLUMN versioning TEXT;
      ALTER TABLE object_entries ADD COLUMN version_id TEXT;
      ALTER TABLE object_entries ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;

      CREATE TABLE object_versions (
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        version_id TEXT,
        marker INTEGER NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        last_modified INTEGER NOT NULL,
        checksum_algorithm TEXT,
        checksum_type TEXT,
        attributes TEXT NOT NULL,
        body TEXT NOT NULL,
        part_sizes TEXT,
        PRIMARY KEY (bucket, key, seq DESC)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'storage classes and part checksums',
    // storage_class copies attributes.storageClass (NULL: STANDARD) so listings can report it without parsing the
    // attributes; part_checksums (JSON) keeps each part's checksum of an object completed from a multipart upload
    // with one, for GetObjectAttributes' part list. Rows written before this migration read as STANDARD, no checksums.
    up: `
      ALTER TABLE object_entries ADD COLUMN storage_class TEXT;
      ALTER TABLE object_entries ADD COLUMN part_checksums TEXT;
      ALTER TABLE object_versions ADD COLUMN storage_class TEXT;
      ALTER TABLE object_versions ADD COLUMN part_checksums TEXT;
    `,
  },
];
