import { FlintError, shortId, type Clock } from '../../core/index.js';
import type { StagedBody } from '../ports-objects.js';
import type { SqliteConnection } from './connection.js';
import type { BodyFiles } from './objects-files.js';
import { notFound } from './objects-rows.js';

/** A loose file older than this is taken for a crashed write's leftover; a live upload would have finished. */
const STALE_WRITE_MS = 24 * 60 * 60 * 1000;
/**
 * Bodies up to this size are kept in the database rather than in files (unless the store is told otherwise):
 * a small PutObject then costs one transaction instead of two plus a file created and later unlinked.
 */
export const INLINE_BODY_BYTES = 64 * 1024;
/**
 * Inline body ids start with a letter file ids (hex) never do, followed by the object sequence number of the
 * write that stored them: unique forever, so a reader holding a replaced version never gets another's bytes.
 */
const INLINE_PREFIX = 'i';

const SQL = {
  bucketExists: 'SELECT 1 FROM object_buckets WHERE name = ?',
  loose: 'INSERT OR REPLACE INTO object_loose_files (file, since) VALUES (?, ?)',
  unloose: 'DELETE FROM object_loose_files WHERE file = ?',
  stale: 'SELECT file FROM object_loose_files WHERE since <= ?',
  sequence: 'UPDATE object_sequence SET value = value + 1 WHERE id = 1 RETURNING value',
  inlineInsert: 'INSERT INTO object_inline (id, data) VALUES (?, ?)',
  inlineDelete: 'DELETE FROM object_inline WHERE id = ?',
  inlineGet: 'SELECT data FROM object_inline WHERE id = ?',
} as const;

function inlineRow(id: string): number {
  return Number(id.slice(INLINE_PREFIX.length));
}

/** Whether a body id (or an entry's body column) names an inline body rather than files. */
export function isInlineBody(body: string): boolean {
  return body.startsWith(INLINE_PREFIX);
}

/**
 * What the bucket, object and upload operations share: the body files and the bookkeeping that keeps every
 * file either referenced or listed as loose (see object_loose_files in objects-schema.ts).
 */
export class ObjectTables {
  /** Retired files already unlinked whose loose rows the next write transaction deletes (saving one of its own). */
  private unlinked: string[] = [];
  /** Inline bodies staged by this store and neither attached nor discarded yet (they hold their own bytes). */
  private readonly stagedInline = new WeakSet<StagedBody>();

  constructor(
    readonly connection: SqliteConnection,
    readonly files: BodyFiles,
    readonly clock: Clock,
    /** Bodies up to this many bytes stay in the database; 0 keeps every body in a file. */
    private readonly inlineBytes = INLINE_BODY_BYTES,
  ) {}

  /**
   * A small body stays in memory until attached (nothing to clean up if it never is); a larger one goes to a
   * file as it arrives, only its first INLINE_BODY_BYTES having been held back.
   */
  async stage(source: AsyncIterable<Uint8Array>): Promise<StagedBody> {
    if (this.inlineBytes <= 0) return this.stageFile(source);
    const iterator = source[Symbol.asyncIterator]();
    const head: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return this.stageInline(Buffer.concat(head, size));
      head.push(next.value);
      size += next.value.byteLength;
      if (size > this.inlineBytes) return this.stageFile(resume(head, iterator));
    }
  }

  private stageInline(bytes: Buffer): StagedBody {
    // Named when attached (see INLINE_PREFIX); until then the object itself is the handle.
    const body = { id: INLINE_PREFIX, size: bytes.length, inline: bytes };
    this.stagedInline.add(body);
    return body;
  }

  /** A part's body always goes to a file: multipart objects are read as a sequence of files. */
  async toFile(body: StagedBody): Promise<StagedBody> {
    return body.inline ? this.stageFile([body.inline]) : body;
  }

  /** Lists the new file as loose before its first byte exists, so a crash mid-write leaves it findable. */
  private async stageFile(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StagedBody> {
    const id = shortId(12);
    this.connection.run(() => this.connection.statement(SQL.loose).run(id, this.clock.now()));
    try {
      const size = await this.files.write(id, source);
      return { id, size };
    } catch (error) {
      this.connection.run(() => this.connection.statement(SQL.unloose).run(id));
      throw error;
    }
  }

  async discard(body: StagedBody): Promise<void> {
    if (body.inline) {
      this.stagedInline.delete(body);
      return;
    }
    await this.files.remove([body.id]);
    this.connection.run(() => this.connection.statement(SQL.unloose).run(body.id));
  }

  /**
   * Inside a transaction: an object's staged body becomes referenced; returns the id to record. A body can be
   * attached once. `sequence` (this write's nextSequence()) names an inline body.
   */
  attachObject(body: StagedBody, sequence: number): string {
    if (!body.inline) return this.attachFile(body);
    this.forgetUnlinked();
    // Only a body this store staged, once; the staging is used up even if the transaction then rolls back.
    if (!this.stagedInline.delete(body)) throw notStaged(body);
    this.connection.statement(SQL.inlineInsert).run(sequence, body.inline);
    return INLINE_PREFIX + sequence;
  }

  /** Inside a transaction: a staged file (an upload's part, or an object's large body) becomes referenced. */
  attachFile(body: StagedBody): string {
    if (body.inline) throw new FlintError('INTERNAL', 'an inline body is attached with attachObject', { body: body.id });
    this.forgetUnlinked();
    if (this.connection.statement(SQL.unloose).run(body.id).changes !== 1) throw notStaged(body);
    return body.id;
  }

  /** Inside a transaction: files no longer referenced once it commits; `retire` them after the commit. */
  detach(files: readonly string[]): void {
    this.forgetUnlinked();
    const loose = this.connection.statement(SQL.loose);
    const dropInline = this.connection.statement(SQL.inlineDelete);
    for (const file of files) {
      if (isInlineBody(file)) dropInline.run(inlineRow(file));
      else loose.run(file, 0);
    }
  }

  /** The bytes of an inline body; undefined once it has been replaced or deleted. */
  readInline(id: string): Buffer | undefined {
    const row = this.connection.run(() => this.connection.statement(SQL.inlineGet).get(inlineRow(id))) as { data: Buffer } | undefined;
    return row?.data;
  }

  /**
   * Best effort, after the write that retired them has committed: the files go now, their loose rows with the
   * next write transaction (or the sweep at the next open, after a crash). A file that cannot go stays listed.
   */
  async retire(retired: readonly string[]): Promise<void> {
    const files = retired.filter((file) => !isInlineBody(file));
    if (files.length === 0) return;
    try {
      await this.files.remove(files);
      this.unlinked.push(...files);
    } catch {
      // Still listed as loose: the sweep at the next open removes them.
    }
  }

  /** Inside a transaction. */
  private forgetUnlinked(): void {
    if (this.unlinked.length === 0) return;
    const unloose = this.connection.statement(SQL.unloose);
    for (const file of this.unlinked) unloose.run(file);
    this.unlinked = [];
  }

  /** Inside a transaction. */
  requireBucket(bucket: string): void {
    if (!this.connection.statement(SQL.bucketExists).get(bucket)) throw notFound('bucket', bucket);
  }

  /** Inside a transaction. */
  nextSequence(): number {
    return (this.connection.statement(SQL.sequence).get() as { value: number }).value;
  }

  /** Removes what crashed writes and interrupted retirements left behind. Runs once, when the store opens. */
  sweepSync(): void {
    const cutoff = this.clock.now() - STALE_WRITE_MS;
    const files = (this.connection.run(() => this.connection.statement(SQL.stale).all(cutoff)) as { file: string }[]).map((row) => row.file);
    if (files.length === 0) return;
    this.files.removeSync(files);
    this.connection.transaction(() => {
      const unloose = this.connection.statement(SQL.unloose);
      for (const file of files) unloose.run(file);
    });
  }
}

/** The chunks already read, then the rest of the source. */
async function* resume(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    await rest.return?.();
  }
}

function notStaged(body: StagedBody): FlintError {
  return new FlintError('INVALID_PARAMETER', `body ${body.id} is not staged (already attached or discarded)`, { body: body.id });
}
