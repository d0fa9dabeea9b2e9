import { crc32, inflateRawSync } from 'node:zlib';
import { FlintError } from '../../core/index.js';

/**
 * A small zip reader over the central directory: the Unix modes in external attributes are what keep
 * `bootstrap` executable, so entries are parsed here and only decompression is zlib's.
 */
export type ZipEntryKind = 'file' | 'directory' | 'symlink';

export interface ZipEntry {
  /** The name as stored, with backslashes turned into slashes. */
  name: string;
  kind: ZipEntryKind;
  /** Permission bits (0o777 and setuid/gid/sticky); a default when the archive was not made on Unix. */
  mode: number;
  /** Uncompressed size as declared by the archive. */
  size: number;
  /** Decompresses and checks the CRC; throws CODE_INVALID when the data is damaged. */
  read(): Uint8Array;
}

export const INVALID_ZIP_MESSAGE = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const ZIP64_EXTRA_ID = 0x0001;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const FLAG_ENCRYPTED = 0x1;
const OS_UNIX = 3;
const OS_DARWIN = 19;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

export function invalidZip(reason: string): FlintError {
  return new FlintError('CODE_INVALID', INVALID_ZIP_MESSAGE, { reason });
}

/** Lists the entries of a zip archive; throws CODE_INVALID for anything that is not a readable zip. */
export function readZip(data: Uint8Array): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const directory = findDirectory(data, view);
  const entries: ZipEntry[] = [];
  let at = directory.offset;
  for (let i = 0; i < directory.count; i++) {
    const parsed = parseCentralEntry(data, view, at);
    entries.push(parsed.entry);
    at = parsed.next;
  }
  return entries;
}

interface Directory {
  offset: number;
  count: number;
}

function findDirectory(data: Uint8Array, view: DataView): Directory {
  const eocd = findEocd(view);
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === U16_MAX || offset === U32_MAX) {
    const zip64 = readZip64Directory(view, eocd);
    count = zip64.count;
    offset = zip64.offset;
  }
  if (offset > data.length) throw invalidZip('central directory offset is past the end of the data');
  return { offset, count };
}

function findEocd(view: DataView): number {
  const last = view.byteLength - EOCD_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let at = last; at >= first; at--) {
    if (view.getUint32(at, true) === SIG_EOCD) return at;
  }
  throw invalidZip('no end of central directory record');
}

function readZip64Directory(view: DataView, eocd: number): Directory {
  const locator = eocd - 20;
  if (locator < 0 || view.getUint32(locator, true) !== SIG_ZIP64_LOCATOR) throw invalidZip('missing zip64 locator');
  const record = safeNumber(view.getBigUint64(locator + 8, true));
  if (record + 56 > view.byteLength || view.getUint32(record, true) !== SIG_ZIP64_EOCD) {
    throw invalidZip('bad zip64 end of central directory');
  }
  return { count: safeNumber(view.getBigUint64(record + 32, true)), offset: safeNumber(view.getBigUint64(record + 48, true)) };
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidZip('zip64 value too large');
  return Number(value);
}

function parseCentralEntry(data: Uint8Array, view: DataView, at: number): { entry: ZipEntry; next: number } {
  if (at + 46 > view.byteLength || view.getUint32(at, true) !== SIG_CENTRAL) throw invalidZip('bad central directory entry');
  const madeBy = view.getUint16(at + 4, true);
  const flags = view.getUint16(at + 8, true);
  const method = view.getUint16(at + 10, true);
  const crc = view.getUint32(at + 16, true);
  const nameLength = view.getUint16(at + 28, true);
  const extraLength = view.getUint16(at + 30, true);
  const commentLength = view.getUint16(at + 32, true);
  const external = view.getUint32(at + 38, true);
  const next = at + 46 + nameLength + extraLength + commentLength;
  if (next > view.byteLength) throw invalidZip('central directory entry runs past the end of the data');
  const nameBytes = data.subarray(at + 46, at + 46 + nameLength);
  // Names without the UTF-8 flag are nominally CP437, but tools in practice write UTF-8 or ASCII.
  const name = Buffer.from(nameBytes).toString('utf8').replaceAll('\\', '/');
  const sizes = applyZip64(view, at + 46 + nameLength, extraLength, {
    compressed: view.getUint32(at + 20, true),
    size: view.getUint32(at + 24, true),
    localOffset: view.getUint32(at + 42, true),
  });
  if (flags & FLAG_ENCRYPTED) throw invalidZip(`entry '${name}' is encrypted`);
  if (method !== METHOD_STORED && method !== METHOD_DEFLATE) throw invalidZip(`entry '${name}' uses compression method ${method}`);
  const { kind, mode } = kindAndMode(name, madeBy >> 8, external);
  const read = (): Uint8Array => readEntryData(data, view, { name, method, crc, ...sizes });
  return { entry: { name, kind, mode, size: sizes.size, read }, next };
}

interface Sizes {
  compressed: number;
  size: number;
  localOffset: number;
}

function applyZip64(view: DataView, start: number, length: number, sizes: Sizes): Sizes {
  const result = { ...sizes };
  let at = start;
  const end = start + length;
  while (at + 4 <= end) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === ZIP64_EXTRA_ID) {
      let field = at + 4;
      const take = (): number => {
        if (field + 8 > at + 4 + size) throw invalidZip('short zip64 extra field');
        const value = safeNumber(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (sizes.size === U32_MAX) result.size = take();
      if (sizes.compressed === U32_MAX) result.compressed = take();
      if (sizes.localOffset === U32_MAX) result.localOffset = take();
    }
    at += 4 + size;
  }
  return result;
}

function kindAndMode(name: string, os: number, external: number): { kind: ZipEntryKind; mode: number } {
  const unixMode = os === OS_UNIX || os === OS_DARWIN ? external >>> 16 : 0;
  const type = unixMode & S_IFMT;
  const isDirectory = name.endsWith('/') || type === S_IFDIR;
  if (isDirectory) return { kind: 'directory', mode: 0o755 };
  if (type === S_IFLNK) return { kind: 'symlink', mode: 0o777 };
  return { kind: 'file', mode: unixMode & 0o7777 ? unixMode & 0o7777 : 0o644 };
}

interface EntryLocation extends Sizes {
  name: string;
  method: number;
  crc: number;
}

function readEntryData(data: Uint8Array, view: DataView, entry: EntryLocation): Uint8Array {
  const at = entry.localOffset;
  if (at + 30 > view.byteLength || view.getUint32(at, true) !== SIG_LOCAL) throw invalidZip(`bad local header for '${entry.name}'`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressed;
  if (end > data.length) throw invalidZip(`data of '${entry.name}' runs past the end of the archive`);
  const raw = data.subarray(start, end);
  const content = entry.method === METHOD_STORED ? raw : inflate(raw, entry);
  if (content.length !== entry.size || crc32(content) !== entry.crc) throw invalidZip(`'${entry.name}' is damaged (size or CRC mismatch)`);
  return content;
}

function inflate(raw: Uint8Array, entry: EntryLocation): Uint8Array {
  if (raw.length === 0) return raw;
  try {
    // Output capped one byte past the declared size: a stream that inflates to more (a zip bomb) fails
    // instead of growing without bound.
    return new Uint8Array(inflateRawSync(raw, { maxOutputLength: entry.size + 1 }));
  } catch (error) {
    throw new FlintError('CODE_INVALID', INVALID_ZIP_MESSAGE, { reason: `'${entry.name}' cannot be inflated` }, { cause: error });
  }
}
