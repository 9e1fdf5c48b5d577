import { describe, expect, it } from 'vitest';
import {
  ToolError,
  decodeCursor,
  encodeCursor,
  formatTable,
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

describe('cursors', () => {
  it('round-trips state', () => {
    expect(decodeCursor(encodeCursor({ offset: 40, locator: 'abc' }))).toEqual({
      offset: 40,
      locator: 'abc',
    });
  });

  it('refuses a cursor that was not made here', () => {
    expect(() => decodeCursor('not a cursor')).toThrow(ToolError);
    expect(() => decodeCursor(Buffer.from('[1,2]').toString('base64url'))).toThrow(/cursor is not valid/);
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
