import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** SigV4's hash (hex SHA-256) and MAC (HMAC-SHA256). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Compares a computed signature with the one sent without leaking, through timing, how much of it matched. */
export function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  // Lengths are public (a hex SHA-256 is 64 characters); only the contents must be compared in constant time.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Keys kept at most; clients sign with few (secret, day, region, service) combinations, so this is generous. */
const MAX_KEYS = 4096;

/**
 * SigV4 signing keys, derived once per (secret, date, region, service) and kept: the derivation is four HMACs, the
 * signature one more (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
export class SigningKeys {
  private readonly keys = new Map<string, Buffer>();

  key(secret: string, date: string, region: string, service: string): Buffer {
    const id = `${date}\n${region}\n${service}\n${secret}`;
    let key = this.keys.get(id);
    if (!key) {
      key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      this.keys.set(id, key);
    }
    return key;
  }

  /** The hex signature of a string to sign. */
  sign(secret: string, scope: { date: string; region: string; service: string }, stringToSign: string): string {
    return hmac(this.key(secret, scope.date, scope.region, scope.service), stringToSign).toString('hex');
  }
}
