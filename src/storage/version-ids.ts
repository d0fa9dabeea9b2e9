import { createHash, randomBytes } from 'node:crypto';

/**
 * Object version ids, shared by every adapter so ids stay valid across them. Like S3's, an id is opaque and
 * URL-safe, and carries a check of its own: a mistyped or truncated id can be told from a well-formed one that
 * names no version (S3 answers the first InvalidArgument, the second NoSuchVersion). S3's ids use letters,
 * digits, '.' and '_' and never '-': an id that began with '-' would read as an option to the AWS CLI
 * (`--version-id -abc` fails to parse), so base64url's '-' is written as '.'.
 */
const RANDOM_BYTES = 18;
const CHECK_CHARS = 8;
const ID_LENGTH = 32;

export function newVersionId(): string {
  const random = withoutDash(randomBytes(RANDOM_BYTES).toString('base64url'));
  return random + checkOf(random);
}

/** Whether `id` is one newVersionId could have made ("null", the null version's id, is not). */
export function isVersionId(id: string): boolean {
  if (id.length !== ID_LENGTH) return false;
  const random = id.slice(0, ID_LENGTH - CHECK_CHARS);
  const check = id.slice(ID_LENGTH - CHECK_CHARS);
  // Ids written before the '.' spelling kept base64url's '-'; they stay valid.
  return checkOf(random) === check || rawCheckOf(random) === check;
}

function withoutDash(text: string): string {
  return text.replaceAll('-', '.');
}

function checkOf(random: string): string {
  return withoutDash(rawCheckOf(random));
}

function rawCheckOf(random: string): string {
  return createHash('sha256').update(random).digest('base64url').slice(0, CHECK_CHARS);
}
