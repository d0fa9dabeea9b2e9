import { describe, expect, it } from 'vitest';
import { CborError, decodeCbor, encodeCbor } from '../../src/protocol/index.js';

/** Examples from RFC 8949 Appendix A (hex encodings of well-known values). */
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s/g, ''), 'hex');

describe('CBOR', () => {
  it('reads the RFC 8949 examples', () => {
    expect(decodeCbor(hex('00'))).toBe(0);
    expect(decodeCbor(hex('1903e8'))).toBe(1000);
    expect(decodeCbor(hex('3903e7'))).toBe(-1000);
    expect(decodeCbor(hex('f93c00'))).toBe(1);
    expect(decodeCbor(hex('f9c400'))).toBe(-4);
    expect(decodeCbor(hex('fa47c35000'))).toBe(100000);
    expect(decodeCbor(hex('fb3ff199999999999a'))).toBe(1.1);
    expect(decodeCbor(hex('f97c00'))).toBe(Number.POSITIVE_INFINITY);
    expect(decodeCbor(hex('f4'))).toBe(false);
    expect(decodeCbor(hex('f6'))).toBe(null);
    expect(decodeCbor(hex('6449455446'))).toBe('IETF');
    expect(decodeCbor(hex('4401020304'))).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(decodeCbor(hex('83010203'))).toEqual([1, 2, 3]);
    expect(decodeCbor(hex('a26161016162820203'))).toEqual({ a: 1, b: [2, 3] });
    expect(decodeCbor(hex('c11a514b67b0'))).toEqual(new Date(1363896240 * 1000));
  });

  it('reads indefinite-length strings, arrays and maps', () => {
    expect(decodeCbor(hex('7f657374726561646d696e67ff'))).toBe('streaming');
    expect(decodeCbor(hex('5f42010243030405ff'))).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
    expect(decodeCbor(hex('9f018202039f0405ffff'))).toEqual([1, [2, 3], [4, 5]]);
    expect(decodeCbor(hex('bf61610161629f0203ffff'))).toEqual({ a: 1, b: [2, 3] });
  });

  it('writes what it reads', () => {
    const value = { name: 'cpu', values: [1, -2, 3.5], when: new Date(1700000000500), blob: new Uint8Array([0, 255]), ok: true, none: null };
    expect(decodeCbor(encodeCbor(value))).toEqual(value);
    expect(encodeCbor(1000).toString('hex')).toBe('1903e8');
    expect(encodeCbor(-1000).toString('hex')).toBe('3903e7');
  });

  it('refuses malformed input instead of guessing', () => {
    expect(() => decodeCbor(hex('1a0000'))).toThrow(CborError);
    expect(() => decodeCbor(hex('a1016161'))).toThrow(CborError);
    expect(() => decodeCbor(hex('0001'))).toThrow(CborError);
    expect(() => decodeCbor(hex('9b00000000ffffffff'))).toThrow(CborError);
  });

  it('keeps a "__proto__" key as data', () => {
    const decoded = decodeCbor(encodeCbor(JSON.parse('{"__proto__": {"polluted": true}}'))) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
