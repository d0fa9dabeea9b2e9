import fc from 'fast-check';
import { expect } from 'vitest';
import type { InProcessResponse } from '../../src/platform/index.js';

/**
 * The fuzzers' shared settings. Each property runs a fixed number of times from a fixed seed, so `npm test` is
 * reproducible and bounded; a failure prints fast-check's seed, path and counterexample. To search longer or
 * elsewhere locally, FUZZ_RUNS scales every property's runs in percent of its default and FUZZ_SEED picks another
 * seed: `FUZZ_RUNS=1000 FUZZ_SEED=123 npx vitest run test/fuzz` (ten times the runs). FUZZ_STATS=1 prints how often
 * each answer was seen (FUZZ_STATS=messages with its message): whether a fuzzer gets past a service's first checks.
 */
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 14_2026;

/** The run count: `base` in CI, or FUZZ_RUNS (scaled by the property's share) when set. */
export function fuzzRuns(base: number): number {
  const asked = process.env.FUZZ_RUNS;
  return asked === undefined ? base : Math.max(1, Math.round((Number(asked) * base) / 100));
}

/** fast-check parameters: the seed, the runs, and a per-input time bound (an input that takes longer is a hang). */
export function fuzzParameters<T>(base: number, timeoutMs = 5_000): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: fuzzRuns(base), timeout: timeoutMs, endOnFailure: true };
}

/** Checks a property and fails with fast-check's report (seed, path, counterexample and the error). */
export async function checkProperty<T>(property: fc.IAsyncProperty<T> | fc.IProperty<T>, base: number, timeoutMs?: number): Promise<void> {
  await fc.assert(property as fc.IAsyncProperty<T>, fuzzParameters<T>(base, timeoutMs));
}

/**
 * Error codes any AWS service may send before an operation runs, from AWS's list of common errors
 * (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html and the same page of every query and JSON
 * API), plus the JSON protocols' framework errors (SerializationException, UnknownOperationException).
 */
export const COMMON_ERRORS: readonly string[] = [
  'AccessDenied',
  'AccessDeniedException',
  'IncompleteSignature',
  'InvalidAction',
  'InvalidClientTokenId',
  'InvalidParameterCombination',
  'InvalidParameterValue',
  'InvalidQueryParameter',
  'MalformedQueryString',
  'MissingAction',
  'MissingAuthenticationToken',
  'MissingParameter',
  'NotImplemented',
  'NotAuthorized',
  'RequestExpired',
  'SerializationException',
  'ThrottlingException',
  'UnknownOperationException',
  'UnrecognizedClientException',
  'ValidationError',
  'ValidationException',
];

export type WireFormat = 'json' | 'xml';

/** The error code of an answer in the given wire format, or a failed expectation saying why it is not one. */
export function errorCodeOf(response: InProcessResponse, format: WireFormat): string | undefined {
  const text = response.text();
  if (format === 'json') {
    const headerType = response.headers['x-amzn-errortype'];
    if (text.trim() === '') return headerType?.split(':')[0];
    const body = JSON.parse(text) as { __type?: string; code?: string; Code?: string };
    const type = body.__type ?? headerType ?? body.code ?? body.Code;
    return type === undefined ? undefined : (type.split('#').pop() ?? type).split(':')[0];
  }
  if (text.trim() === '') return undefined;
  expect(text.trimStart().startsWith('<'), `an XML error document, not ${JSON.stringify(text.slice(0, 200))}`).toBe(true);
  return /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
}

/**
 * The property every answer to a hostile request must have: a success, or the service's own error in its own wire
 * format with a code from its model or the documented generic ones; never a 500 where AWS answers the caller's
 * mistake with a 4xx.
 */
export function expectServiceAnswer(response: InProcessResponse, format: WireFormat, codes: ReadonlySet<string>, context: string): void {
  const code = response.status < 300 ? undefined : safely(() => errorCodeOf(response, format));
  if (process.env.FUZZ_STATS) tally(`${response.status} ${code ?? ''}${process.env.FUZZ_STATS === 'messages' ? ` ${response.text().slice(0, 90)}` : ''}`);
  if (response.status < 300 || response.status === 304) return;
  const where = `${context} → ${response.status} ${response.text().slice(0, 400)}`;
  // 501 NotImplemented is S3's own answer for a feature it lacks (and Flint's for an operation it does not emulate).
  if (response.status !== 501 || code !== 'NotImplemented') expect(response.status, `no server fault for a client's input: ${where}`).toBeLessThan(500);
  if (response.status === 400 || response.status >= 402) {
    // A HEAD answer carries no body: S3 sends the status alone.
    if (code === undefined && response.text() === '') return;
    expect(code, `an error code in the ${format} format: ${where}`).toBeDefined();
    expect(codes.has(code!), `${code} is one of the service's error codes: ${where}`).toBe(true);
  }
}

const seen = new Map<string, number>();
/** With FUZZ_STATS set, how often each answer was seen: whether a fuzzer reaches past the first checks. */
function tally(key: string): void {
  seen.set(key, (seen.get(key) ?? 0) + 1);
}
export function printStats(label: string): void {
  if (!process.env.FUZZ_STATS) return;
  console.log(label, [...seen.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`).join('\n'));
  seen.clear();
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Raw byte mutations of an encoded request body: flips, truncations, insertions, duplications. */
export function mutatedBytes(original: Buffer): fc.Arbitrary<Buffer> {
  const length = Math.max(1, original.length);
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(length - 1), bits: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(length) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(length), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(length), size: fc.integer({ min: 1, max: 64 }), times: fc.integer({ min: 2, max: 40 }) }),
    fc.record({ kind: fc.constant('token' as const), at: fc.nat(length), token: fc.constantFrom(...HOSTILE_TOKENS) }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) => {
    let bytes = original;
    for (const m of mutations) {
      const at = Math.min(m.at, bytes.length);
      if (m.kind === 'flip' && bytes.length > 0) {
        bytes = Buffer.from(bytes);
        bytes[at % bytes.length] = bytes[at % bytes.length]! ^ m.bits;
      } else if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
      else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
      else if (m.kind === 'repeat') {
        const piece = bytes.subarray(at, at + m.size);
        bytes = Buffer.concat([bytes.subarray(0, at), ...Array.from({ length: m.times }, () => piece), bytes.subarray(at)]);
      } else if (m.kind === 'token') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.token), bytes.subarray(at)]);
    }
    return bytes;
  });
}

/** Fragments that break parsers: structure, escapes, encodings, numbers at the edges. */
export const HOSTILE_TOKENS: readonly string[] = [
  '{',
  '}',
  '[',
  ']',
  '"',
  '\\',
  '\\u',
  '\\ud800',
  '<',
  '>',
  '</',
  '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
  '&a;',
  '&#0;',
  '&#xFFFFFFFF;',
  '<![CDATA[',
  '%',
  '%zz',
  '%00',
  '&',
  '=',
  '.member.',
  '.1000000000.',
  '\u0000',
  '\uFFFF',
  '\u{1F600}',
  '1e999',
  '-0',
  '9007199254740993',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
  '\r\n',
];

/** Strings that break naïve code: empty, huge, unicode, control characters, prototype keys, path tricks. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_TOKENS) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '../../etc/passwd', '/', '//', 'a/../..', 'arn:aws:lambda:us-east-1:000000000000:function:f', 'x'.repeat(3000)) },
  );
}
