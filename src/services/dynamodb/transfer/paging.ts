import { validation } from '../errors.js';

/**
 * NextToken for ListExports and ListImports: the last ARN of the page in hex, padded with zeros to DynamoDB's
 * ImportNextToken shape (112 or more hex digits, in groups of 16).
 */
export function encodeToken(lastArn: string): string {
  const hex = Buffer.from(lastArn).toString('hex');
  const length = Math.max(112, Math.ceil(hex.length / 16) * 16);
  return hex.padEnd(length, '0');
}

export function decodeToken(token: string): string {
  const hex = token.replace(/(00)+$/, '');
  if (!/^([0-9a-f]{2})+$/.test(hex)) throw validation('Invalid NextToken');
  return Buffer.from(hex, 'hex').toString('utf8');
}
