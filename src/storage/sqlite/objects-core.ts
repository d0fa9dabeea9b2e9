import { FlintError, shortId, type Clock } from '../../core/index.js';
import type { StagedBody } from '../ports-objects.js';
import type { SqliteConnection } from './connection.js';
import type { BodyFiles } from './objects-files.js';
import { notFound } from './objects-rows.js';

/** A loose file older than this is taken for a crashed write's leftover; a live upload would have finished. */
const STALE_WRITE_MS = 24 * 60 * 60 * 1000;

const SQL = {
  bucketExists: 'SELECT 1 FROM object_buckets WHERE name = ?',
  loose: 'INSERT OR REPLACE INTO object_loose_files (file, since) VALUES (?, ?)',
  unloose: 'DELETE FROM object_loose_files WHERE file = ?',
  stale: 'SELECT file FROM object_loose_files WHERE since <= ?',
  sequence: 'UPDATE object_sequence SET value = value + 1 WHERE id = 1 RETURNING value',
} as const;

/**
 * What the bucket, object and upload operations share: the body files and the bookkeeping that keeps every
 * file either referenced or listed as loose (see object_loose_files in objects-schema.ts).
 */
export class ObjectTables {
  /** Retired files already unlinked whose loose rows the next write transaction deletes (saving one of its own). */
  private unlinked: string[] = [];

  constructor(
    readonly connection: SqliteConnection,
    readonly files: BodyFiles,
    readonly clock: Clock,
  ) {}

  /** Lists the new file as loose before its first byte exists, so a crash mid-write leaves it findable. */
  async stage(source: AsyncIterable<Uint8Array>): Promise<StagedBody> {
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
    await this.files.remove([body.id]);
    this.connection.run(() => this.connection.statement(SQL.unloose).run(body.id));
  }

  /** Inside a transaction: the staged file becomes referenced. A body can be attached once. */
  attach(body: StagedBody): void {
    this.forgetUnlinked();
    if (this.connection.statement(SQL.unloose).run(body.id).changes !== 1) {
      throw new FlintError('INVALID_PARAMETER', `body ${body.id} is not staged (already attached or discarded)`, { body: body.id });
    }
  }

  /** Inside a transaction: files no longer referenced once it commits; `retire` them after the commit. */
  detach(files: readonly string[]): void {
    this.forgetUnlinked();
    const loose = this.connection.statement(SQL.loose);
    for (const file of files) loose.run(file, 0);
  }

  /**
   * Best effort, after the write that retired them has committed: the files go now, their loose rows with the
   * next write transaction (or the sweep at the next open, after a crash). A file that cannot go stays listed.
   */
  async retire(files: readonly string[]): Promise<void> {
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
