import { describe, expect, it } from 'vitest';
import {
  type CursorBinding,
  type Cursors,
  ToolError,
  formatTable,
  pageWithinBudget,
  takeWithinBudget,
  toolResult,
} from '../src/index.js';

describe('formatTable', () => {
  it('writes a compact pipe table with escaped cells', () => {
    const table = formatTable([
      { Id: '001', Name: 'Acme | Co', Notes: 'two\nlines' },
      { Id: '002', Name: null, Extra: 5 },
    ]);
    expect(table).toBe(
      [
        'Id | Name | Notes | Extra',
        '--- | --- | --- | ---',
        '001 | Acme \\| Co | two\\nlines | ',
        '002 |  |  | 5',
      ].join('\n'),
    );
  });

  it('says when there is nothing to show', () => {
    expect(formatTable([])).toBe('(no rows)');
  });
});

describe('pageWithinBudget', () => {
  // Stands in for the server's sealer (tested in @sfmcp/server): it refuses a cursor for another binding.
  const cursors: Cursors = {
    seal: (state, binding) => JSON.stringify({ state, binding: JSON.stringify(binding.listing) }),
    open: <State>(cursor: string, binding: CursorBinding) => {
      const sealed = JSON.parse(cursor) as { state: State; binding: string };
      if (sealed.binding !== JSON.stringify(binding.listing))
        throw new ToolError('The cursor belongs to another listing.');
      return sealed.state;
    },
  };
  const ctx = { cursors, responseBudget: 60_000 };
  const items = Array.from({ length: 50 }, (_, index) => `item-${index}`);
  const request = { binding: { listing: 'items' }, sizeOf: (item: string) => item.length, budget: 100 };

  it('pages through a listing with cursors, each item once', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = pageWithinBudget(ctx, items, { ...request, cursor });
      expect(page.offset).toBe(seen.length);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(items);
  });

  it('keeps to a limit as well as the budget', () => {
    const page = pageWithinBudget(ctx, items, { ...request, budget: 10_000, limit: 7 });
    expect(page.items).toHaveLength(7);
    expect(
      pageWithinBudget(ctx, items, { ...request, budget: 10_000, limit: 7, cursor: page.nextCursor }).offset,
    ).toBe(7);
  });

  it('refuses offsets that are not whole numbers inside the listing', () => {
    for (const offset of [0.5, -1, '3', 51]) {
      const cursor = cursors.seal({ offset }, request.binding);
      expect(() => pageWithinBudget(ctx, items, { ...request, cursor })).toThrow(ToolError);
    }
  });
});

describe('takeWithinBudget', () => {
  const items = Array.from({ length: 10 }, (_, index) => `item-${index}`);

  it('stops at the budget and says where to continue', () => {
    const page = takeWithinBudget(items, (item) => item.length, 20);
    expect(page.items).toEqual(['item-0', 'item-1']);
    expect(page.nextOffset).toBe(2);
    const next = takeWithinBudget(items, (item) => item.length, 20, page.nextOffset);
    expect(next.items[0]).toBe('item-2');
  });

  it('always makes progress, even when one item is over the budget', () => {
    expect(takeWithinBudget(['x'.repeat(100), 'y'], (item) => item.length, 10)).toEqual({
      items: ['x'.repeat(100)],
      nextOffset: 1,
    });
  });

  it('has no continuation when everything fits', () => {
    expect(takeWithinBudget(items, () => 1, 1000).nextOffset).toBeUndefined();
  });
});

describe('toolResult', () => {
  it('names the org it acted on', () => {
    expect(
      toolResult({ text: 'done', structured: { ok: true }, org: { label: 'dev (me@acme.dev)' } }),
    ).toEqual({
      text: 'Org: dev (me@acme.dev)\ndone',
      structured: { ok: true },
    });
  });
});
