/**
 * Rows too many to show one per line, as names grouped under a heading ("Created ApexClass (120): A, B, …"),
 * within `budget` characters. Returns the lines and how many rows they name; the caller says what is left out.
 */
export function groupedNames<Row>(
  rows: readonly Row[],
  heading: (row: Row) => string,
  name: (row: Row) => string,
  budget: number,
): { lines: string[]; listed: number } {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const key = heading(row);
    const names = groups.get(key);
    if (names) names.push(name(row));
    else groups.set(key, [name(row)]);
  }
  const lines: string[] = [];
  let used = 0;
  let listed = 0;
  for (const [key, names] of groups) {
    const head = `${key} (${names.length}): `;
    if (used + head.length + 40 > budget) break;
    const taken: string[] = [];
    let length = head.length;
    for (const entry of names) {
      if (used + length + entry.length + 2 > budget) break;
      taken.push(entry);
      length += entry.length + 2;
    }
    const more = names.length - taken.length;
    const line = `${head}${taken.join(', ')}${more ? `, … (${more} more)` : ''}`;
    lines.push(line);
    used += line.length + 1;
    listed += taken.length;
  }
  return { lines, listed };
}
