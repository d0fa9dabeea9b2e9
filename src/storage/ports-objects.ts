import type { Readable } from 'node:stream';
import type { Outbox } from './ports-queues.js';

/**
 * The objects store: S3-compatible buckets of keyed byte bodies with their metadata, and multipart uploads.
 * It keeps bytes and records; everything the S3 *API* adds (names rules, digests and checksums, ETags, XML,
 * conditional requests, notifications) lives in services/s3, which hands the store computed, valid values.
 *
 * Bodies stream: `writeBody` consumes an async iterable of chunks and never holds a whole body in memory, and
 * `openBody` returns a stream. A written body is invisible until `putObject` (or `putPart`) attaches it, in one
 * atomic step that also retires the body it replaces, so readers see the old object or the new one, never a
 * half-written file; a crash before that step leaves the old object intact.
 *
 * Keys are listed in the byte order of their UTF-8 encoding (as S3 lists them); a prefix is matched literally.
 *
 * Versions. A bucket is unversioned until versioning is first set (Enabled, then perhaps Suspended; it never goes
 * back). Each key then has a history of versions, newest first: objects and delete markers, each with a version id,
 * or none for the key's one "null" version (an object written while the bucket was unversioned or Suspended, or a
 * marker made while Suspended). The latest version decides what the key shows: an object, or nothing when it is a
 * delete marker. Writes follow S3: while Enabled a put or delete adds a version (a delete adds a marker); while
 * Suspended it replaces the null version wherever it is in the history; unversioned, a put replaces the object and a
 * delete removes it. Removing a version by its id (`deleteObject` with `versionId`) is permanent, and the next
 * newest version becomes the latest. Version ids are opaque strings the store makes.
 */

export interface BucketInfo {
  name: string;
  /** The region the bucket was created in (its LocationConstraint, or the node's region). */
  region: string;
  /** Epoch ms. */
  createdAt: number;
  /** Per-bucket configuration documents the service keeps here as opaque strings (e.g. "notification"). */
  configs: Readonly<Record<string, string>>;
  /** Absent until versioning is first set; it is never unset again. */
  versioning?: VersioningStatus;
}

export type VersioningStatus = 'Enabled' | 'Suspended';

/** One object tag (S3's TagSet entry), kept in the order given. */
export interface ObjectTag {
  key: string;
  value: string;
}

/** Who an ACL grant names, as S3's Grantee: a canonical user, a predefined group (by URI) or an e-mail address. */
export interface ObjectGrantee {
  type: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail';
  id?: string;
  uri?: string;
  email?: string;
}

export interface ObjectGrant {
  grantee: ObjectGrantee;
  /** FULL_CONTROL, READ, READ_ACP, WRITE or WRITE_ACP. */
  permission: string;
}

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64 digest; a composite checksum ends in "-<part count>". */
  value: string;
  type: ChecksumType;
}

/** What S3 keeps about an object besides its bytes: the store keeps it as given and returns it unchanged. */
export interface ObjectAttributes {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  /** User metadata (x-amz-meta-*), names without the prefix, lowercase. */
  metadata: Record<string, string>;
  checksum?: ObjectChecksum;
  /** The object's tags (x-amz-tagging, PutObjectTagging); absent when it has none. */
  tags?: ObjectTag[];
  /** The object's access control list; absent for S3's default (the owner has FULL_CONTROL). */
  acl?: ObjectGrant[];
  /** S3's storage class (x-amz-storage-class); absent for STANDARD. The store copies it to summaries. */
  storageClass?: string;
  /** The version's object lock retention (x-amz-object-lock-mode/-retain-until-date, PutObjectRetention). */
  retention?: ObjectRetention;
  /** The version's legal hold as last set; absent if it never was. */
  legalHold?: 'ON' | 'OFF';
}

/** An object lock retention: the version may not be deleted before `until` (epoch ms), as `mode` says. */
export interface ObjectRetention {
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  until: number;
}

/** An object as listed: enough for ListObjects. */
export interface ObjectSummary {
  key: string;
  size: number;
  /** Without quotes: a hex MD5, or "<hex>-<parts>" for an object completed from a multipart upload. */
  etag: string;
  /** Epoch ms. */
  lastModified: number;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
  /** The version's storage class when it is not STANDARD (its attributes' storageClass). */
  storageClass?: string;
}

/** One stored version of an object. */
export interface ObjectInfo extends ObjectSummary {
  bucket: string;
  /** Absent for the key's null version. */
  versionId?: string;
  /** Set only on a delete marker (from `getVersion`): it has no bytes, size 0, an empty ETag and no attributes. */
  deleteMarker?: true;
  attributes: ObjectAttributes;
  /** Byte size of each part, in order, for an object completed from a multipart upload. */
  partSizes?: number[];
  /** Each part's checksum (base64, in the upload's algorithm) in order, when the upload had one. */
  partChecksums?: string[];
  /** Names the stored bytes of this version for `openBody`; opaque to callers. */
  body: string;
}

/** Bytes written by `writeBody` and not yet attached to an object or part. */
export interface StagedBody {
  readonly id: string;
  readonly size: number;
  /** The adapter's own: a small body it keeps in memory until it is attached. Callers pass it along untouched. */
  readonly inline?: Buffer;
}

/** An inclusive byte range, already checked against the object's size. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ObjectWrite {
  bucket: string;
  key: string;
  body: StagedBody;
  etag: string;
  attributes: ObjectAttributes;
  /** Only if no object has the key (S3's If-None-Match: *); else PRECONDITION_FAILED. */
  ifNoneMatch?: boolean;
  /** Only if the current object has this ETag; PRECONDITION_FAILED if it differs, NOT_FOUND if absent. */
  ifMatch?: string;
  /** Work committed with the write (S3's event notifications); nothing is enqueued if the write fails. */
  outbox?: Outbox<WriteResult>;
}

/** The result of a write: the new version and its place in the store's global order of writes. */
export interface WriteResult {
  object: ObjectInfo;
  /** Increases with every put, completion and delete in the store (S3's event sequencer). */
  sequence: number;
}

export interface DeleteResult {
  /** The version that was removed for good, if there was one (a delete marker when it names one). */
  deleted?: ObjectInfo;
  /** The delete marker the delete added (a delete without a version id in a versioned bucket). */
  marker?: ObjectInfo;
  sequence: number;
}

export interface DeleteOptions {
  /** Removes exactly this version for good ("null": the null version); absent, the key's latest, as S3's DELETE. */
  versionId?: string;
  outbox?: Outbox<DeleteResult>;
}

/** One entry of ListObjectVersions: an object version or a delete marker. */
export interface VersionSummary extends ObjectSummary {
  /** Absent for the null version. */
  versionId?: string;
  isLatest: boolean;
  deleteMarker: boolean;
}

export interface VersionQuery {
  prefix?: string;
  delimiter?: string;
  /** Versions of keys after this one; with versionIdMarker, also the older versions of this very key. */
  keyMarker?: string;
  /** The version of keyMarker after which to go on ("null" for its null version); NOT_FOUND if it is not there. */
  versionIdMarker?: string;
  /** At most this many versions, markers and common prefixes together. */
  limit: number;
}

export interface VersionPage {
  /** In key order, then newest first. */
  versions: VersionSummary[];
  commonPrefixes: string[];
  truncated: boolean;
}

/** What PutObjectTagging, DeleteObjectTagging, PutObjectAcl, PutObjectRetention and PutObjectLegalHold change on one version; other members stay. */
export interface ObjectPatch {
  /** The new tag set; empty removes every tag. */
  tags?: ObjectTag[];
  acl?: ObjectGrant[];
  /** The new retention; null removes it. */
  retention?: ObjectRetention | null;
  legalHold?: 'ON' | 'OFF';
}

export interface ObjectQuery {
  prefix?: string;
  /** Keys with this after the prefix are rolled up into one common prefix ending in it. */
  delimiter?: string;
  /** Only keys (and common prefixes) strictly greater than this. */
  after?: string;
  /** At most this many keys and common prefixes together. */
  limit: number;
}

export interface ObjectPage {
  objects: ObjectSummary[];
  commonPrefixes: string[];
  /** More keys or common prefixes follow the last one returned. */
  truncated: boolean;
}

export interface UploadInfo {
  uploadId: string;
  bucket: string;
  key: string;
  /** Epoch ms. */
  initiated: number;
  /** What the completed object will carry; checksum.algorithm/type, if set, is what parts must carry. */
  attributes: ObjectAttributes;
}

export interface PartInfo {
  partNumber: number;
  size: number;
  /** Hex MD5 of the part, without quotes. */
  etag: string;
  lastModified: number;
  /** Base64 digest of the part in the upload's checksum algorithm. */
  checksum?: string;
}

export interface PartWrite {
  uploadId: string;
  partNumber: number;
  body: StagedBody;
  etag: string;
  checksum?: string;
}

export interface UploadQuery {
  prefix?: string;
  /** Uploads of keys after this one; with uploadIdMarker, also later uploads of this very key. */
  keyMarker?: string;
  uploadIdMarker?: string;
  limit: number;
}

export interface CompleteUpload {
  uploadId: string;
  /** The parts to assemble, in ascending part order, with the ETags the caller checked. */
  parts: { partNumber: number; etag: string }[];
  etag: string;
  checksum?: ObjectChecksum;
  /** Work committed with the completion; nothing is enqueued if it fails. */
  outbox?: Outbox<WriteResult>;
}

export interface ObjectStore {
  /** Returns false if a bucket with that name exists already (it is left as it was). */
  createBucket(name: string, region: string): Promise<boolean>;
  getBucket(name: string): Promise<BucketInfo | undefined>;
  /** In name order. */
  listBuckets(): Promise<BucketInfo[]>;
  /**
   * NOT_FOUND if absent; RESOURCE_CONFLICT (details.versioned: whether it was ever versioned) if it still holds
   * versions or markers. Its multipart uploads are aborted.
   */
  deleteBucket(name: string): Promise<void>;
  /** Sets (or, with undefined, removes) one configuration document; NOT_FOUND if the bucket is absent. */
  setBucketConfig(name: string, kind: string, value: string | undefined): Promise<void>;
  /** Turns versioning on or suspends it (see Versions above); NOT_FOUND if the bucket is absent. */
  setBucketVersioning(name: string, status: VersioningStatus): Promise<void>;

  /** Streams bytes to storage; the body stays invisible until attached. A failing source leaves nothing. */
  writeBody(source: AsyncIterable<Uint8Array>): Promise<StagedBody>;
  /** Drops a staged body that will not be attached. */
  discardBody(body: StagedBody): Promise<void>;

  /**
   * Attaches a staged body under a key as its new latest version, replacing what the bucket's versioning says it
   * replaces (see Versions above). NOT_FOUND if the bucket is absent. Conditions are checked against the key's
   * latest object (none when the latest version is a delete marker).
   */
  putObject(write: ObjectWrite): Promise<WriteResult>;
  /** The key's latest version if it is an object; undefined when there is none or it is a delete marker. */
  getObject(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  /**
   * One version, delete markers included: the named one ("null": the null version), or without a version id the
   * key's latest. Undefined if there is no such version (or bucket).
   */
  getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectInfo | undefined>;
  /**
   * Changes tags or ACL of one version (the latest without a version id) in place, keeping its bytes, ETag and
   * time; returns it. NOT_FOUND (resource "key" or "version") if absent, METHOD_NOT_ALLOWED for a delete marker.
   */
  patchObject(bucket: string, key: string, versionId: string | undefined, patch: ObjectPatch): Promise<ObjectInfo>;
  /**
   * The bytes of exactly this version (the whole body, or a range). Undefined if the version has been replaced
   * or deleted since it was read; once the stream is returned, a concurrent overwrite does not disturb it.
   */
  openBody(object: ObjectInfo, range?: ByteRange): Promise<Readable | undefined>;
  /** Like openBody, read into memory in one go: cheaper for small bodies; the caller keeps the range small. */
  readBody(object: ObjectInfo, range?: ByteRange): Promise<Buffer | undefined>;
  /**
   * Deletes as S3's DELETE does (see Versions above). NOT_FOUND if the bucket is absent; deleting an absent key or
   * version is not an error (and enqueues what the outbox says).
   */
  deleteObject(bucket: string, key: string, options?: DeleteOptions): Promise<DeleteResult>;
  /** The keys whose latest version is an object. NOT_FOUND if the bucket is absent. */
  listObjects(bucket: string, query: ObjectQuery): Promise<ObjectPage>;
  /** Every version and delete marker. NOT_FOUND if the bucket is absent (or the version-id marker is not there). */
  listVersions(bucket: string, query: VersionQuery): Promise<VersionPage>;

  /** NOT_FOUND if the bucket is absent. */
  createUpload(bucket: string, key: string, attributes: ObjectAttributes): Promise<UploadInfo>;
  getUpload(uploadId: string): Promise<UploadInfo | undefined>;
  /** Adds or replaces a part; NOT_FOUND if the upload is gone (completed or aborted). */
  putPart(write: PartWrite): Promise<PartInfo>;
  /** Parts in part number order, after `after`. NOT_FOUND if the upload is gone. */
  listParts(uploadId: string, options: { after?: number; limit: number }): Promise<{ parts: PartInfo[]; truncated: boolean }>;
  /** In key order, then initiation order. NOT_FOUND if the bucket is absent. */
  listUploads(bucket: string, query: UploadQuery): Promise<{ uploads: UploadInfo[]; truncated: boolean }>;
  /**
   * Makes the listed parts the object's body (parts not listed are dropped) and ends the upload. NOT_FOUND if
   * the upload is gone, PRECONDITION_FAILED if a listed part is missing or its ETag changed meanwhile.
   */
  completeUpload(complete: CompleteUpload): Promise<WriteResult>;
  /** Returns false if the upload was already gone. */
  abortUpload(uploadId: string): Promise<boolean>;
}
