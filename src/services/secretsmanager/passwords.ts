import { randomInt } from 'node:crypto';
import type { GetRandomPasswordRequest, GetRandomPasswordResponse } from './api.js';
import { invalidParameter } from './errors.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
/** The punctuation AWS's documentation lists for GetRandomPassword. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * A password of PasswordLength (32 by default) from the included character types, with at least one of each type
 * when RequireEachIncludedType (the default), drawn with a cryptographic generator.
 */
export function randomPassword(input: GetRandomPasswordRequest): GetRandomPasswordResponse {
  const length = input.PasswordLength ?? 32;
  const excluded = new Set(input.ExcludeCharacters ?? '');
  const keep = (chars: string): string => [...chars].filter((c) => !excluded.has(c)).join('');
  const types = [
    input.ExcludeLowercase ? '' : keep(LOWER),
    input.ExcludeUppercase ? '' : keep(UPPER),
    input.ExcludeNumbers ? '' : keep(DIGITS),
    input.ExcludePunctuation ? '' : keep(PUNCTUATION),
    input.IncludeSpace ? keep(' ') : '',
  ].filter((chars) => chars.length > 0);
  const requireEach = input.RequireEachIncludedType ?? true;
  // Flint's wording.
  if (types.length === 0) throw invalidParameter('The password cannot be generated: every character type is excluded.');
  if (requireEach && length < types.length) throw invalidParameter(`The password length must be at least ${types.length} to include each included character type.`);
  const all = types.join('');
  const chars = Array.from({ length }, () => all[randomInt(all.length)]!);
  if (requireEach) {
    const positions = shuffledPositions(length).slice(0, types.length);
    types.forEach((type, i) => (chars[positions[i]!] = type[randomInt(type.length)]!));
  }
  return { RandomPassword: chars.join('') };
}

function shuffledPositions(length: number): number[] {
  const positions = Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [positions[i], positions[j]] = [positions[j]!, positions[i]!];
  }
  return positions;
}
