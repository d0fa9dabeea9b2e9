import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm } from '../../storage/index.js';
import { Crc32c, Crc64Nvme } from './crc.js';

/** S3's flexible checksums: the algorithms, their header names and digest sizes, and incremental hashers. */

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

/** "x-amz-checksum-crc32" for CRC32, and so on. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The algorithm a header or trailer name (x-amz-checksum-sha256) or an algorithm name (sha256) stands for. */
export function algorithmNamed(name: string): ChecksumAlgorithm | undefined {
  const upper = name.toUpperCase().replace(/^X-AMZ-CHECKSUM-/, '');
  return CHECKSUM_ALGORITHMS.find((algorithm) => algorithm === upper);
}

/** True if the value is a base64 digest of the algorithm's size. */
export function isDigestOf(algorithm: ChecksumAlgorithm, value: string): boolean {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === DIGEST_BYTES[algorithm] && bytes.toString('base64') === value;
}

export interface Hasher {
  update(data: Uint8Array): void;
  digest(): Buffer;
}

class Crc32Hasher implements Hasher {
  private value = 0;

  update(data: Uint8Array): void {
    this.value = crc32(data, this.value);
  }

  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.value >>> 0);
    return out;
  }
}

export function createHasher(algorithm: ChecksumAlgorithm | 'MD5'): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32Hasher();
    case 'CRC32C':
      return new Crc32c();
    case 'CRC64NVME':
      return new Crc64Nvme();
    case 'SHA1':
      return createHash('sha1');
    case 'SHA256':
      return createHash('sha256');
    case 'MD5':
      return createHash('md5');
  }
}

/** The base64 digest of some bytes, for checksums computed in one go (XML request bodies). */
export function digestOf(algorithm: ChecksumAlgorithm | 'MD5', data: Uint8Array): string {
  const hasher = createHasher(algorithm);
  hasher.update(data);
  return hasher.digest().toString('base64');
}

/** S3's composite checksum of a multipart object: the checksum of the parts' raw checksums, then "-<count>". */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: string[]): string {
  const hasher = createHasher(algorithm);
  for (const part of partChecksums) hasher.update(Buffer.from(part, 'base64'));
  return `${hasher.digest().toString('base64')}-${partChecksums.length}`;
}

/** S3's multipart ETag: the MD5 of the parts' binary MD5s, then "-<count>". */
export function multipartEtag(partEtags: string[]): string {
  const hasher = createHash('md5');
  for (const etag of partEtags) hasher.update(Buffer.from(etag, 'hex'));
  return `${hasher.digest('hex')}-${partEtags.length}`;
}
