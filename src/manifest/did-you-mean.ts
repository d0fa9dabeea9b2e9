/** Suggestions for misspelt names: the closest candidate within an edit distance of 2, if any. */
const MAX_DISTANCE = 2;

export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  return nearestVersion(input, candidates) ?? closestSpelling(input, candidates);
}

/**
 * Versioned names ("python3.15", "nodejs26.x", "provided.al2024") are misspelt by their number, and every
 * candidate of the same name is one or two edits away: the nearest version is the useful suggestion (newest
 * when the input is beyond them all), not the first one listed.
 */
function nearestVersion(input: string, candidates: readonly string[]): string | undefined {
  const wanted = versioned(input);
  if (!wanted) return undefined;
  const family = candidates
    .map((candidate) => ({ candidate, parsed: versioned(candidate) }))
    .filter((c): c is { candidate: string; parsed: { shape: string; numbers: number[] } } => c.parsed?.shape === wanted.shape)
    .sort((a, b) => compareNumbers(a.parsed.numbers, b.parsed.numbers));
  const [oldest, newest] = [family[0], family.at(-1)];
  if (!oldest || !newest) return undefined;
  if (compareNumbers(wanted.numbers, newest.parsed.numbers) > 0) return newest.candidate;
  if (compareNumbers(wanted.numbers, oldest.parsed.numbers) < 0) return oldest.candidate;
  let best: { candidate: string; distance: number[]; numbers: number[] } | undefined;
  for (const { candidate, parsed } of family) {
    const distance = wanted.numbers.map((n, i) => Math.abs(n - (parsed.numbers[i] ?? 0)));
    const closer = !best || compareNumbers(distance, best.distance) < 0;
    const asCloseButNewer = best && compareNumbers(distance, best.distance) === 0 && compareNumbers(parsed.numbers, best.numbers) > 0;
    if (closer || asCloseButNewer) best = { candidate, distance, numbers: parsed.numbers };
  }
  return best?.candidate;
}

/** "python3.15" → shape "python#.#", numbers [3, 15]; undefined for names without a number. */
function versioned(name: string): { shape: string; numbers: number[] } | undefined {
  const numbers = name.match(/\d+/g)?.map(Number);
  return numbers ? { shape: name.toLowerCase().replace(/\d+/g, '#'), numbers } : undefined;
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

function closestSpelling(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = MAX_DISTANCE + 1;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    // A 2-letter word is within distance 2 of every other short word, so demand a real overlap.
    if (distance < bestDistance && distance < Math.max(input.length, candidate.length) - 1) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: Levenshtein plus swaps of two adjacent letters ("memroy"). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = distance;
    }
  }
  return at(a.length, b.length);
}

export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` (did you mean '${match}'?)`;
}
