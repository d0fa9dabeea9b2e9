import { createHash } from 'node:crypto';
import { hierarchyTooDeep, invalidName, invalidPath } from './errors.js';
import type { VersionRecord } from './types.js';

/** Parameter Store's documented limit: a hierarchy has at most 15 levels. */
const MAX_DEPTH = 15;
const SEGMENT = /^[A-Za-z0-9_.-]+$/;
const RESERVED_PREFIX = /^(aws|ssm)/i;

function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>` (as LocalStack's recordings show). */
export function parameterArn(region: string, accountId: string, name: string): string {
  return `arn:${partition(region)}:ssm:${region}:${accountId}:parameter/${name.startsWith('/') ? name.slice(1) : name}`;
}

/** The name an ARN of this node's region and account names, with and without a leading slash (either may exist). */
export function namesOfArn(region: string, accountId: string, arn: string): string[] | undefined {
  const prefix = `arn:${partition(region)}:ssm:${region}:${accountId}:parameter/`;
  if (!arn.startsWith(prefix)) return undefined;
  const rest = arn.slice(prefix.length);
  return [`/${rest}`, rest];
}

/**
 * Checks a name PutParameter creates: letters, digits, `.-_` in sub-paths divided by single slashes, a path starting
 * with "/", the first level not starting with "aws" or "ssm", at most 15 levels.
 */
export function checkNewName(name: string): void {
  const segments = (name.startsWith('/') ? name.slice(1) : name).split('/');
  if (name.includes('/') && !name.startsWith('/')) throw invalidName();
  if (!segments.every((s) => SEGMENT.test(s)) || RESERVED_PREFIX.test(segments[0]!)) throw invalidName();
  if (segments.length > MAX_DEPTH) throw hierarchyTooDeep();
}

/** A path GetParametersByPath and the Path filter take: "/" or "/a/b" (a trailing slash is allowed). */
export function checkPath(path: string): void {
  if (!path.startsWith('/')) throw invalidPath();
  const segments = path.slice(1).split('/');
  if (segments[segments.length - 1] === '') segments.pop();
  if (!segments.every((s) => SEGMENT.test(s))) throw invalidPath();
  if (segments.length > MAX_DEPTH) throw hierarchyTooDeep();
}

/** Whether `name` is under `path` ("/a/" or "/a"): directly, or at any depth when recursive. */
export function underPath(name: string, path: string, recursive: boolean): boolean {
  const base = path.endsWith('/') ? path : `${path}/`;
  if (!name.startsWith(base) || name.length === base.length) return false;
  return recursive || !name.slice(base.length).includes('/');
}

/** "name", "name:3" (a version) or "name:label"; an ARN's own colons are not selectors. */
export interface Selector {
  name: string;
  version?: number;
  label?: string;
  /** As given after the name, for Parameter.Selector (":3", ":label"). */
  text?: string;
}

export function parseSelector(given: string): Selector {
  const from = given.startsWith('arn:') ? given.indexOf(':parameter/') + ':parameter/'.length : 0;
  const colon = given.indexOf(':', Math.max(from, 0));
  if (colon < 0) return { name: given };
  const name = given.slice(0, colon);
  const part = given.slice(colon + 1);
  const text = `:${part}`;
  return /^[0-9]+$/.test(part) ? { name, version: Number(part), text } : { name, label: part, text };
}

/**
 * What AWS shows of a SecureString read without WithDecryption: a base64 ciphertext blob. Flint stores values in
 * plain (no KMS) and shows a blob of the same look, derived from the value and key so that it changes with them;
 * it is not encryption.
 */
export function ciphertextOf(name: string, version: VersionRecord): string {
  const value = Buffer.from(version.value, 'utf8');
  const stream = Buffer.alloc(value.length);
  for (let offset = 0, block = 0; offset < value.length; block++, offset += 32) {
    createHash('sha256').update(`${version.keyId}\0${name}\0${version.version}\0${block}`).digest().copy(stream, offset);
  }
  const masked = value.map((byte, i) => byte ^ stream[i]!);
  const header = createHash('sha256').update(`${version.keyId}\0${name}`).digest().subarray(0, 24);
  return Buffer.concat([Buffer.from([1, 2, 2, 0, 0x78]), header, masked]).toString('base64');
}
