import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { PatternError } from './types.js';

/**
 * `{"cidr": "10.0.0.0/24"}` or an IPv6 range: a value matches when it is an IP address inside the range. Refusals
 * as EventBridge words them (LocalStack's test_events_patterns.snapshot.json, content_ip_address_*_EXC).
 */
export function compileCidr(text: string): (value: string) => boolean {
  const slash = text.indexOf('/');
  if (slash < 0 || text.indexOf('/', slash + 1) >= 0) throw new PatternError("Malformed CIDR, one '/' required");
  const address = text.slice(0, slash);
  const maskText = text.slice(slash + 1);
  if (!/^\d+$/.test(maskText)) throw new PatternError('Malformed CIDR, mask bits must be an integer');
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  const mask = Number(maskText);
  if (family === undefined || mask > (family === 'ipv4' ? 32 : 128)) throw new PatternError(`Nonstandard IP address: ${address}`);
  const range = new BlockList();
  range.addSubnet(address, mask, family);
  return (value) => {
    if (isIPv4(value)) return range.check(value, 'ipv4');
    return isIPv6(value) && range.check(value, 'ipv6');
  };
}
