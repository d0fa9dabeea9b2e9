import { close, open, read, unlink, write } from 'node:fs';

/**
 * The few file calls object bodies need, on plain descriptors: FileHandle objects cost more to create and
 * collect than the calls themselves when a small object takes three of them.
 */

export function openFd(path: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, (error, fd) => (error ? reject(error) : resolve(fd))));
}

export function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => close(fd, (error) => (error ? reject(error) : resolve())));
}

export async function writeFully(fd: number, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.byteLength) {
    written += await new Promise<number>((resolve, reject) =>
      write(fd, data, written, data.byteLength - written, null, (error, bytes) => (error ? reject(error) : resolve(bytes))),
    );
  }
}

/** Reads exactly `length` bytes at `position`, or fewer if the file ends first. */
export async function readFully(fd: number, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const bytes = await new Promise<number>((resolve, reject) =>
      read(fd, buffer, done, length - done, position + done, (error, count) => (error ? reject(error) : resolve(count))),
    );
    if (bytes === 0) break;
    done += bytes;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

/** Removes a file; one that is already gone is fine. */
export function unlinkQuietly(path: string): Promise<void> {
  return new Promise((resolve, reject) => unlink(path, (error) => (error && error.code !== 'ENOENT' ? reject(error) : resolve())));
}
