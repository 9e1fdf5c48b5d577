import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/seed/random.js';
import { sortSubjects } from '../src/soql/order.js';

/** The seed's deterministic generator (mulberry32), so the cases are the same on every run. */
function random(seed: number): () => number {
  const generator = new SeededRandom(seed);
  return () => generator.next();
}

interface Row {
  id: number;
  group: string | null;
  amount: number | null;
}

describe('sortSubjects', () => {
  const next = random(7);
  const rows: Row[] = Array.from({ length: 500 }, (_, id) => ({
    id,
    group: next() < 0.1 ? null : (['a', 'b', 'c', 'd'][Math.floor(next() * 4)] as string),
    amount: next() < 0.1 ? null : Math.floor(next() * 50),
  }));
  const keys = [
    { get: (row: Row) => row.group, descending: false, nullsFirst: true },
    { get: (row: Row) => row.amount, descending: true, nullsFirst: false },
  ];

  it('orders by each key in turn, nulls where asked, ties in their original order', () => {
    const sorted = sortSubjects(rows, keys);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1] as Row;
      const b = sorted[i] as Row;
      if (a.group !== b.group) {
        expect(a.group === null || (b.group !== null && a.group < b.group)).toBe(true);
      } else if (a.amount !== b.amount) {
        expect(b.amount === null || (a.amount !== null && a.amount > b.amount)).toBe(true);
      } else {
        expect(a.id).toBeLessThan(b.id);
      }
    }
  });

  it.each([0, 1, 7, 50, 124])('finds the same first %i rows when told how many are wanted', (take) => {
    expect(sortSubjects(rows, keys, take).map((row) => row.id)).toEqual(
      sortSubjects(rows, keys)
        .slice(0, take)
        .map((row) => row.id),
    );
  });
});
