import { sign, type KeyObject } from 'node:crypto';

/**
 * A self-signed X.509 certificate (RFC 5280), DER-encoded by hand: SNS subscribers verify signatures against the
 * certificate at SigningCertURL, so Flint needs one for its own key. Only what a certificate needs is encoded:
 * SEQUENCE, INTEGER, OBJECT IDENTIFIER, NULL, SET, UTF8String, GeneralizedTime, BIT STRING and explicit tags.
 * (Node has no certificate builder, and the X.509 libraries on npm need a Reflect metadata polyfill.)
 */

export interface CertificateRequest {
  /** The subject's and issuer's common name. */
  commonName: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
  /** Positive; the certificate's serial number. */
  serial: Buffer;
  notBefore: Date;
  notAfter: Date;
}

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';

/** The certificate as PEM. */
export function selfSignedCertificate(request: CertificateRequest): string {
  const algorithm = sequence(oid(SHA256_WITH_RSA), nullValue());
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8(request.commonName))));
  const spki = request.publicKey.export({ type: 'spki', format: 'der' });
  const extensions = explicit(3, sequence(sequence(oid(BASIC_CONSTRAINTS), tlv(0x04, sequence()))));
  const tbs = sequence(explicit(0, integer(Buffer.from([2]))), integer(request.serial), algorithm, name, sequence(time(request.notBefore), time(request.notAfter)), name, spki, extensions);
  const signature = sign('sha256', tbs, request.privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return pem('CERTIFICATE', der);
}

export function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function sequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

function explicit(tag: number, content: Buffer): Buffer {
  return tlv(0xa0 | tag, content);
}

/** A non-negative integer: a leading zero byte keeps a high first bit from reading as a sign. */
function integer(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const trimmed = value.subarray(start);
  return tlv(0x02, (trimmed[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function nullValue(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

function utf8(text: string): Buffer {
  return tlv(0x0c, Buffer.from(text, 'utf8'));
}

function bitString(bytes: Buffer): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift(value % 128);
      if (value < 128) break;
    }
    bytes.push(...groups.map((group, i) => (i < groups.length - 1 ? group | 0x80 : group)));
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime (YYMMDDHHMMSSZ) through 2049 and GeneralizedTime (YYYYMMDDHHMMSSZ) after, as RFC 5280 requires. */
function time(date: Date): Buffer {
  const iso = date.toISOString();
  const rest = `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2, 4)}${rest}`, 'ascii')) : tlv(0x18, Buffer.from(`${iso.slice(0, 4)}${rest}`, 'ascii'));
}
