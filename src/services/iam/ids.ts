import { createHash, randomBytes } from 'node:crypto';

/**
 * IAM's identifiers. Unique ids (21 characters) and access key ids (20) are a four-letter prefix naming what they
 * identify (AIDA user, AROA role, AGPA group, ANPA managed policy, AIPA instance profile, AKIA long-term key, ASIA
 * temporary key) and base32 characters. Like AWS's (https://awsteele.com/blog/2020/09/26/aws-access-key-format.html
 * describes the layout tools decode), the first ten characters after the prefix carry the owning account id, so a
 * key id names its account without a lookup; the rest is random.
 */
export type IdPrefix = 'AIDA' | 'AROA' | 'AGPA' | 'ANPA' | 'AIPA' | 'AKIA' | 'ASIA';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCOUNT_MASK = 0x7fffffffff80n;

/** A unique id of an IAM entity in an account: prefix and 17 characters. */
export function uniqueId(prefix: IdPrefix, accountId: string): string {
  return prefix + accountBits(accountId) + base32(randomBytes(1)).slice(0, 1);
}

/** An access key id: prefix and 16 characters, the account encoded in them. */
export function accessKeyId(prefix: 'AKIA' | 'ASIA', accountId: string): string {
  return prefix + accountBits(accountId);
}

/** The account an access key id (or unique id) names, when it was made as above; undefined for other ids. */
export function accountOfKey(id: string): string | undefined {
  if (!/^A[A-Z]{3}[A-Z2-7]{16}/.test(id)) return undefined;
  const bytes = fromBase32(id.slice(4, 20));
  let value = 0n;
  for (const byte of bytes.subarray(0, 6)) value = (value << 8n) | BigInt(byte);
  const account = ((value & ACCOUNT_MASK) >> 7n).toString().padStart(12, '0');
  return account.length === 12 ? account : undefined;
}

/** A secret access key: 40 characters, as AWS's. */
export function secretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** A session token: opaque to clients, long as AWS's are. */
export function sessionToken(): string {
  return randomBytes(264).toString('base64');
}

/** A unique id that stays the same on every node for the same name (the AWS managed policies). */
export function stableId(prefix: IdPrefix, name: string): string {
  return prefix + base32(createHash('sha256').update(name).digest()).slice(0, 17);
}

/** The partition of ARNs in a region. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Ten bytes: the account id shifted left seven bits in the first six, with random bits around it. */
function accountBits(accountId: string): string {
  const bytes = randomBytes(10);
  const account = BigInt(/^\d{12}$/.test(accountId) ? accountId : '0');
  let head = 0n;
  for (const byte of bytes.subarray(0, 6)) head = (head << 8n) | BigInt(byte);
  head = (head & ~ACCOUNT_MASK & 0xffffffffffffn) | ((account << 7n) & ACCOUNT_MASK);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(head & 0xffn);
    head >>= 8n;
  }
  return base32(bytes);
}

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Uint8Array {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    buffer = ((buffer << 5) | BASE32.indexOf(char)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}
