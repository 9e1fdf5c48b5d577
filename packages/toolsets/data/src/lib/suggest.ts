/** Edit distance (insertions, deletions, substitutions), case-insensitive. */
export function levenshtein(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  if (left === right) return 0;
  if (!left.length) return right.length;
  if (!right.length) return left.length;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      current[j] = Math.min(current[j - 1]! + 1, previous[j]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[right.length]!;
}

/**
 * The candidates closest to `name`: within a distance that grows with the name's length (a third of it,
 * at least 2), or containing it / contained in it; best first, at most `limit`.
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = name.toLowerCase();
  const threshold = Math.max(2, Math.floor(name.length / 3));
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    // The distance is at least the difference in length: past the threshold, skip the quadratic work
    // (a megabyte "name" then costs one linear scan per candidate, not seconds).
    let score = Math.abs(wanted.length - lower.length) > threshold ? Infinity : levenshtein(wanted, lower);
    if (score > threshold) {
      if (wanted.length >= 3 && (lower.includes(wanted) || wanted.includes(lower))) score = threshold + 0.5;
      else continue;
    }
    scored.push({ candidate, score });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/** " Did you mean: A, B?" or "" — ready to append to a message. */
export function didYouMean(name: string, candidates: Iterable<string>, limit = 3): string {
  const names = closestNames(name, candidates, limit);
  return names.length ? ` Did you mean: ${names.join(', ')}?` : '';
}
