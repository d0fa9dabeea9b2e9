import { invalidUri } from './errors.js';

/** The bucket and key a request addresses; neither for ListBuckets, no key for bucket operations. */
export interface Address {
  bucket?: string;
  key?: string;
  /** The bucket came from the Host header (virtual-hosted style). */
  virtualHost: boolean;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** AWS's legacy regional endpoint labels ("s3-us-west-2", "s3-external-1") beside the plain "s3". */
const AWS_S3_LABEL = /^s3-[a-z0-9-]+$/;

/**
 * Virtual-hosted style (`bucket.localhost:4566`, `bucket.s3.localhost`, `bucket.s3.us-east-1.amazonaws.com`,
 * `my.dotted.bucket.s3.localhost.localstack.cloud`) or path style (`127.0.0.1:4566/bucket/key`,
 * `s3.amazonaws.com/bucket/key`, any other host). The key is the rest of the path, percent-decoded once, as
 * every client encodes it ("+" stays a plus; spaces come as %20).
 */
export function parseAddress(host: string, rawPath: string): Address {
  const hosted = bucketFromHost(host);
  if (hosted !== undefined) return { bucket: hosted, key: keyOf(rawPath.slice(1)), virtualHost: true };
  const slash = rawPath.indexOf('/', 1);
  const bucket = decode(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
  if (bucket === '') return { virtualHost: false };
  return { bucket, key: slash < 0 ? undefined : keyOf(rawPath.slice(slash + 1)), virtualHost: false };
}

/** The bucket a Host header names, if it is a virtual-hosted S3 address. */
export function bucketFromHost(host: string): string | undefined {
  const name = hostname(host);
  if (name === '' || IPV4.test(name) || name.startsWith('[')) return undefined;
  const labels = name.split('.');
  const onAws = name.endsWith('.amazonaws.com');
  for (let i = labels.length - 1; i > 0; i--) {
    const label = labels[i]!;
    if (label === 's3' || (onAws && AWS_S3_LABEL.test(label))) return labels.slice(0, i).join('.');
  }
  // s3.localhost is the service's own endpoint (ListBuckets, path style), not a bucket named "s3".
  if (labels.length > 1 && labels.at(-1) === 'localhost' && labels[0] !== 's3') return labels.slice(0, -1).join('.');
  return undefined;
}

/**
 * Whether a Host names S3 itself: an "s3" label (bucket.s3.localhost, s3.localhost, s3.us-east-1.amazonaws.com) or
 * AWS's legacy regional labels on amazonaws.com, so an unsigned request to it is S3's whatever its path.
 */
export function isS3Host(host: string): boolean {
  const name = hostname(host);
  const labels = name.split('.');
  const onAws = name.endsWith('.amazonaws.com');
  return labels.some((label, i) => i < labels.length - 1 && (label === 's3' || (onAws && AWS_S3_LABEL.test(label))));
}

function hostname(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower;
  const colon = lower.lastIndexOf(':');
  return colon < 0 ? lower : lower.slice(0, colon);
}

function keyOf(rawKey: string): string | undefined {
  return rawKey === '' ? undefined : decode(rawKey);
}

function decode(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidUri();
  }
}
