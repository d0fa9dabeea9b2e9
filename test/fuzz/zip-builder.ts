import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Writes zips as an attacker would: names as given (`../`, absolute, backslashes), symlinks with any target, sizes
 * declared apart from the data, deflated or stored. Nothing is checked: that is the reader's job.
 */
export interface HostileEntry {
  name: string;
  data: Buffer;
  kind?: 'file' | 'directory' | 'symlink';
  /** Deflate the data (method 8) instead of storing it. */
  deflate?: boolean;
  /** The deflated data, when the caller already has it (a bomb deflated once, used many times). */
  compressed?: Buffer;
  /** The uncompressed size the directory declares, when it should lie about it. */
  declaredSize?: number;
  /** A CRC other than the data's. */
  crc?: number;
}

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

export function hostileZip(entries: readonly HostileEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const stored = entry.deflate ? (entry.compressed ?? deflateRawSync(entry.data)) : entry.data;
    const crc = entry.crc ?? crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const mode = entry.kind === 'symlink' ? S_IFLNK | 0o777 : entry.kind === 'directory' ? S_IFDIR | 0o755 : S_IFREG | 0o644;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(Math.min(size, 0xffffffff), 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, stored);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x0800, 8);
    record.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    record.writeUInt32LE(crc >>> 0, 16);
    record.writeUInt32LE(stored.length, 20);
    record.writeUInt32LE(Math.min(size, 0xffffffff), 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE((mode << 16) >>> 0, 38);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += 30 + name.length + stored.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
