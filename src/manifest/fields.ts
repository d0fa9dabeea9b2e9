/**
 * Building blocks for the manifest schema. Each carries its own "expected ..." message so problems read the
 * same everywhere; the value actually found is appended when the problem is reported.
 */
import { z } from 'zod';
import { didYouMean } from './did-you-mean.js';

/** Runs a check even when sibling fields failed, so one pass reports every problem. */
export const ALWAYS = { when: (): boolean => true };

export function intIn(min: number, max: number): z.ZodInt {
  const error = `expected an integer from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

export function intAtLeast(min: number): z.ZodInt {
  const error = `expected an integer of at least ${min}`;
  return z.int({ error }).min(min, { error });
}

export function namePattern(pattern: RegExp, what: string): z.ZodString {
  const error = `expected ${what} matching ${pattern.source}`;
  return z.string({ error }).regex(pattern, { error });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object that rejects keys outside its shape, one problem per key, located at the key and with a
 * did-you-mean. (zod's strictObject reports all unknown keys as one issue on the parent, without the shape.)
 */
export function strictObject<S extends z.ZodRawShape>(shape: S, options: { noun?: string; expected?: string } = {}) {
  const known = Object.keys(shape);
  const noun = options.noun ?? 'field';
  return z.looseObject(shape, { error: options.expected ?? 'expected a map' }).superRefine((value: unknown, ctx) => {
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) ctx.addIssue({ code: 'custom', path: [key], message: unknownKeyMessage(noun, key, known) });
    }
  }, ALWAYS);
}

function unknownKeyMessage(noun: string, key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  return hint !== '' ? `unknown ${noun} '${key}'${hint}` : `unknown ${noun} '${key}' (expected one of: ${known.join(', ')})`;
}

/** Reports a field that must be present, the same way zod reports a missing required field. */
export function addMissing(ctx: z.RefinementCtx, path: PropertyKey[]): void {
  ctx.addIssue({ code: 'invalid_type', expected: 'string', path, message: 'missing' });
}
