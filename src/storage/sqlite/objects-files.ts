import { closeSync, createReadStream, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ByteRange } from '../ports-objects.js';
import { closeFd, openFd, readFully, unlinkQuietly, writeFully } from './objects-fs.js';
import { fsErrors, isNotFound } from '../fs-errors.js';

const fsFailure = fsErrors('object body');

/** Uploads reach the disk in writes of about this size. */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** Downloads read the disk in chunks of this size. */
const READ_CHUNK_BYTES = 256 * 1024;
/**
 * Bodies up to this size are read with synchronous calls: opening and reading a small cached file costs less
 * than the thread pool's hand-offs. Creating and deleting files stays asynchronous: on a busy disk those wait
 * for the file system journal, and the pool lets several wait at once instead of stalling every request.
 */
const SYNC_READ_BYTES = 64 * 1024;

/** One stretch of one file to read, inclusive. */
interface Segment {
  file: string;
  start: number;
  end: number;
}

/**
 * Object bodies as files: `<root>/<first two chars of id>/<id>`, one file per single-part body or per part.
 * Ids are random, so a file is never rewritten in place: replacing an object writes a new file and retires the
 * old one (see object_loose_files in objects-schema.ts).
 *
 * Files are not fsynced: like the database (synchronous=NORMAL), what a killed process wrote survives, and only
 * an OS crash can lose the last writes.
 */
export class BodyFiles {
  private readonly shards = new Set<string>();

  constructor(readonly root: string) {}

  pathOf(id: string): string {
    return join(this.root, id.slice(0, 2), id);
  }

  /** Writes the source to a new file; on any failure the partial file is removed and the error rethrown. */
  async write(id: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
    await this.ensureShard(id.slice(0, 2));
    const writer = new BatchedWriter(this.pathOf(id));
    try {
      for await (const chunk of source) await writer.add(chunk);
      await writer.finish();
      return writer.size;
    } catch (error) {
      await writer.abandon();
      throw error;
    }
  }

  /**
   * A stream of the given range over the concatenation of `files` (of `sizes` bytes each). All files the range
   * touches are opened before returning, so a later unlink (an overwrite) cannot cut the stream short.
   * Undefined if one of them is gone already.
   */
  async open(files: string[], sizes: number[], range: ByteRange | undefined): Promise<Readable | undefined> {
    const segments = segmentsOf(files, sizes, range);
    const fds = await this.openAll(segments);
    if (!fds) return undefined;
    if (segments.length === 1) return streamOf(fds[0]!, segments[0]!);
    const started = fds.map(() => false);
    const stream = Readable.from(chain(fds, segments, started), { objectMode: false });
    // Each segment's stream closes its own descriptor once its reads are done; a consumer that stops early
    // leaves later segments unstarted, and their descriptors are closed here.
    stream.once('close', () => void closeAll(fds.filter((_, i) => !started[i])));
    return stream;
  }

  /** The range read into memory at once (for small bodies); undefined if a file is gone already. */
  async read(files: string[], sizes: number[], range: ByteRange | undefined): Promise<Buffer | undefined> {
    const segments = segmentsOf(files, sizes, range);
    if (segments.length === 1 && segments[0]!.end - segments[0]!.start < SYNC_READ_BYTES) return this.readSync(segments[0]!);
    const fds = await this.openAll(segments);
    if (!fds) return undefined;
    try {
      const pieces = await Promise.all(segments.map((segment, i) => (segment.end < segment.start ? Buffer.alloc(0) : readFully(fds[i]!, segment.end - segment.start + 1, segment.start))));
      return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    } catch (error) {
      throw fsFailure.failed('read', error);
    } finally {
      await closeAll(fds);
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => fsFailure.call('delete', () => unlinkQuietly(this.pathOf(id)))));
  }

  /** For the sweep at open, which runs in a constructor. */
  removeSync(ids: readonly string[]): void {
    for (const id of ids) rmSync(this.pathOf(id), { force: true });
  }

  ensureRootSync(): void {
    mkdirSync(this.root, { recursive: true });
  }

  private readSync(segment: Segment): Buffer | undefined {
    let fd: number;
    try {
      fd = openSync(this.pathOf(segment.file), 'r');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw fsFailure.failed('open', error);
    }
    try {
      const length = Math.max(0, segment.end - segment.start + 1);
      const buffer = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const bytes = readSync(fd, buffer, done, length - done, segment.start + done);
        if (bytes === 0) break;
        done += bytes;
      }
      return done === length ? buffer : buffer.subarray(0, done);
    } catch (error) {
      throw fsFailure.failed('read', error);
    } finally {
      closeSync(fd);
    }
  }

  /** Opens every segment's file, or none: if one is missing (or fails), the others are closed again. */
  private async openAll(segments: Segment[]): Promise<number[] | undefined> {
    const opened = await Promise.allSettled(segments.map((segment) => openFd(this.pathOf(segment.file), 'r')));
    const fds = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failure = opened.find((result) => result.status === 'rejected');
    if (!failure) return fds;
    await closeAll(fds);
    if (isNotFound(failure.reason)) return undefined;
    throw fsFailure.failed('open', failure.reason);
  }

  private async ensureShard(shard: string): Promise<void> {
    if (this.shards.has(shard)) return;
    await fsFailure.call('create', () => mkdir(join(this.root, shard), { recursive: true }));
    this.shards.add(shard);
  }
}

function segmentsOf(files: string[], sizes: number[], range: ByteRange | undefined): Segment[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const start = range?.start ?? 0;
  const end = range?.end ?? total - 1;
  if (end < start) return [{ file: files[0] ?? '', start: 0, end: -1 }];
  const segments: Segment[] = [];
  let offset = 0;
  files.forEach((file, index) => {
    const size = sizes[index] ?? 0;
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + size - 1);
    if (from <= to) segments.push({ file, start: from - offset, end: to - offset });
    offset += size;
  });
  return segments;
}

function streamOf(fd: number, segment: Segment): Readable {
  if (segment.end < segment.start) {
    void closeFd(fd).catch(() => undefined);
    return Readable.from([], { objectMode: false });
  }
  return createReadStream('', { fd, start: segment.start, end: segment.end, highWaterMark: READ_CHUNK_BYTES });
}

async function* chain(fds: number[], segments: Segment[], started: boolean[]): AsyncGenerator<Buffer> {
  for (let i = 0; i < fds.length; i++) {
    started[i] = true;
    for await (const chunk of streamOf(fds[i]!, segments[i]!)) yield chunk as Buffer;
  }
}

async function closeAll(fds: number[]): Promise<void> {
  await Promise.all(fds.map((fd) => closeFd(fd).catch(() => undefined)));
}

/**
 * Gathers socket-sized chunks into large writes and keeps one write in flight while the next batch fills, so a
 * big upload costs few file system calls and reading overlaps writing; at most two batches are held in memory.
 * The file is created with the first batch.
 */
class BatchedWriter {
  size = 0;
  private fd: number | undefined;
  private created = false;
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  async add(chunk: Uint8Array): Promise<void> {
    this.batch.push(chunk);
    this.batchBytes += chunk.byteLength;
    this.size += chunk.byteLength;
    if (this.batchBytes >= WRITE_BATCH_BYTES) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
    if (this.fd !== undefined) await fsFailure.call('write', () => closeFd(this.fd!));
    this.fd = undefined;
  }

  /** Undoes a failed write: waits for the write in flight, closes and removes the file. */
  async abandon(): Promise<void> {
    await this.inFlight.catch(() => undefined);
    if (this.fd !== undefined) await closeFd(this.fd).catch(() => undefined);
    if (this.created) await unlinkQuietly(this.path).catch(() => undefined);
  }

  private async flush(): Promise<void> {
    await this.inFlight;
    if (this.fd === undefined) {
      this.created = true;
      this.fd = await fsFailure.call('create', () => openFd(this.path, 'wx'));
    }
    if (this.batchBytes === 0) return;
    const data = this.takeBatch();
    const fd = this.fd;
    this.inFlight = fsFailure.call('write', () => writeFully(fd, data));
  }

  private takeBatch(): Uint8Array {
    const data = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch);
    this.batch = [];
    this.batchBytes = 0;
    return data;
  }
}
