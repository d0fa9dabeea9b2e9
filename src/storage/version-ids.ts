import { createHash, randomBytes } from 'node:crypto';

/**
 * Object version ids, shared by every adapter so ids stay valid across them. Like S3's, an id is opaque and
 * URL-safe, and carries a check of its own: a mistyped or truncated id can be told from a well-formed one that
 * names no version (S3 answers the first InvalidArgument, the second NoSuchVersion).
 */
const RANDOM_BYTES = 18;
const CHECK_CHARS = 8;
const ID_LENGTH = 32;

export function newVersionId(): string {
  const random = randomBytes(RANDOM_BYTES).toString('base64url');
  return random + checkOf(random);
}

/** Whether `id` is one newVersionId could have made ("null", the null version's id, is not). */
export function isVersionId(id: string): boolean {
  return id.length === ID_LENGTH && checkOf(id.slice(0, ID_LENGTH - CHECK_CHARS)) === id.slice(ID_LENGTH - CHECK_CHARS);
}

function checkOf(random: string): string {
  return createHash('sha256').update(random).digest('base64url').slice(0, CHECK_CHARS);
}
