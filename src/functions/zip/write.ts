import { Zip, ZipDeflate } from 'fflate';

export interface ZipFileInput {
  /** Relative POSIX path inside the archive. */
  path: string;
  data: Uint8Array;
  /** Unix permission bits, e.g. 0o644 or 0o755. */
  mode: number;
}

const MADE_BY_UNIX = 3;
const S_IFREG = 0o100000;
/** DOS time cannot go earlier; fflate reads local time fields, so a local-time date gives the same bytes in any zone. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/**
 * A deterministic zip: entries in sorted order, one fixed timestamp and Unix modes in the external attributes,
 * so the same files always give the same bytes (and the same sha256) and executables stay executable.
 */
export function createZip(files: readonly ZipFileInput[]): Uint8Array {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  for (const file of sorted) {
    const entry = new ZipDeflate(file.path, { level: 6 });
    entry.mtime = FIXED_MTIME;
    entry.os = MADE_BY_UNIX;
    entry.attrs = ((S_IFREG | (file.mode & 0o7777)) << 16) >>> 0;
    zip.add(entry);
    entry.push(file.data, true);
  }
  zip.end();
  if (failure) throw failure;
  return concat(chunks);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, c) => sum + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
