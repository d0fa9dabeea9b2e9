import { BlockList, isIP } from 'node:net';
import type { FlintError } from '../../../core/index.js';

/** `{"cidr": "10.0.0.0/24"}`: parsed into a BlockList, with the messages SNS gives for malformed ranges. */
export function parseCidr(text: string, fail: (message: string) => FlintError): BlockList {
  const parts = text.split('/');
  if (parts.length !== 2) throw fail(`Malformed CIDR, one '/' required`);
  const [address, bits] = parts as [string, string];
  if (!/^\d+$/.test(bits)) throw fail('Malformed CIDR, mask bits must be an integer');
  const family = isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  if (family === 0 || Number(bits) > maxBits) throw fail(`Nonstandard IP address: ${address}`);
  const range = new BlockList();
  range.addSubnet(address, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
  return range;
}

export function inRange(range: BlockList, value: string): boolean {
  const family = isIP(value);
  return family !== 0 && range.check(value, family === 6 ? 'ipv6' : 'ipv4');
}
