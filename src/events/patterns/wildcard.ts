import { PatternError } from './types.js';

/**
 * `{"wildcard": "arn:aws:events:*:event-bus/*"}`: `*` stands for any run of characters (none included); `\*` is a
 * literal star and `\\` a literal backslash. Matching walks the literal pieces left to right (the first anchored at
 * the start, the last at the end), so it is linear in the value for each piece and never backtracks.
 */
const COMPLEXITY_LIMIT = 10;

export function compileWildcard(pattern: string): (value: string) => boolean {
  const pieces = splitPieces(pattern);
  checkComplexity(pieces);
  if (pieces.length === 1) {
    const only = pieces[0]!;
    return (value) => value === only;
  }
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1);
  return (value) => {
    if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
    let from = first.length;
    const end = value.length - last.length;
    for (const piece of middle) {
      const at = value.indexOf(piece, from);
      if (at < 0 || at + piece.length > end) return false;
      from = at + piece.length;
    }
    return true;
  };
}

/** The literal text between stars, unescaped; n stars give n + 1 pieces. */
function splitPieces(pattern: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw new PatternError(`Invalid escape character at pos ${i}`);
      current += next;
      i++;
    } else if (char === '*') {
      if (pattern[i + 1] === '*') throw new PatternError(`Consecutive wildcard characters at pos ${i + 1}`);
      pieces.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  pieces.push(current);
  return pieces;
}

/**
 * EventBridge refuses wildcard patterns whose matching could keep many partial matches alive at once: several
 * stars each followed by a character that recurs later in the pattern. Flint estimates that as, for every star
 * but the last, how often the character after it appears again in the rest of the pattern; more than ten in all
 * is refused with EventBridge's message (an approximation of Event Ruler's own measure).
 */
function checkComplexity(pieces: string[]): void {
  if (pieces.length < 3) return;
  let restarts = 0;
  for (let i = 1; i < pieces.length - 1; i++) {
    const next = pieces[i]![0];
    if (next === undefined) continue;
    for (const later of pieces.slice(i)) restarts += later.split(next).length - 1;
  }
  if (restarts > COMPLEXITY_LIMIT) {
    throw new PatternError('Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character');
  }
}
