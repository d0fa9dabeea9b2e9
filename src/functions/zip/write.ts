import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipFileInput {
  /** Relative POSIX path inside the archive. */
  path: string;
  data: Uint8Array;
  /** Unix permission bits, e.g. 0o644 or 0o755. */
  mode: number;
}

const MADE_BY_UNIX = 3 << 8;
const VERSION = 20;
const S_IFREG = 0o100000;
const UTF8_NAMES = 0x0800;
/** 1980-01-01 00:00:00 in DOS date and time: the earliest a zip can say, the same for every entry. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const STORED = 0;
const DEFLATED = 8;

/**
 * A deterministic zip: entries in sorted order, one fixed timestamp and Unix modes in the external attributes,
 * so the same files always give the same bytes (and the same sha256) and executables stay executable.
 * Compression is the platform's zlib (a deflated entry is stored instead when deflate would not shrink it).
 */
export function createZip(files: readonly ZipFileInput[]): Uint8Array {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of sorted) {
    const name = Buffer.from(file.path, 'utf8');
    const data = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
    const deflated = deflateRawSync(data, { level: 6 });
    const [method, body] = deflated.length < data.length ? [DEFLATED, deflated] : [STORED, data];
    const crc = crc32(data) >>> 0;
    const shared = { method, crc, compressed: body.length, size: data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeSharedFields(local, 4, shared);
    local.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(MADE_BY_UNIX | VERSION, 4);
    writeSharedFields(entry, 6, shared);
    entry.writeUInt32LE((((S_IFREG | (file.mode & 0o7777)) << 16) >>> 0), 38);
    entry.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(entry, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, end]));
}

/**
 * The run of fields a local header and its central-directory entry both carry, in the same order (version
 * needed to extract through file name length), starting at `at`.
 */
function writeSharedFields(header: Buffer, at: number, f: { method: number; crc: number; compressed: number; size: number; nameLength: number }): void {
  header.writeUInt16LE(VERSION, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(f.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(f.crc, at + 10);
  header.writeUInt32LE(f.compressed, at + 14);
  header.writeUInt32LE(f.size, at + 18);
  header.writeUInt16LE(f.nameLength, at + 22);
}
