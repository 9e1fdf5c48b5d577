// The audit's record counts come from the org's answers; a query page is counted from its head.
import { describe, expect, it } from 'vitest';
import { CallMeter, queryPageSize } from '../src/call/meter.js';

const page = (body: Record<string, unknown>) => JSON.stringify(body);
const rows = (count: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: count }, (_, index) => ({
    attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/001${index}` },
    Name: `"records": [], "done":true, "totalSize":99 ${index}`,
    ...extra,
  }));
const target = { username: 'u@example.test', name: 'u' };
const get = (url: string) => ({ method: 'GET', url, headers: {} });
const answer = (body: string) => ({ statusCode: 200, headers: {}, body });

describe('counting the records a query page holds', () => {
  it('agrees with the page itself: first, middle and last pages, subqueries, COUNT()', () => {
    const contacts = { Contacts: { totalSize: 3, done: true, records: rows(3) } };
    const cases: Array<[string, Record<string, unknown>]> = [
      [
        'query',
        {
          totalSize: 450,
          done: false,
          nextRecordsUrl: '/services/data/v62.0/query/01gQc0000001AAA-200',
          records: rows(200, contacts),
        },
      ],
      [
        'query/01gQc0000001AAA-200',
        {
          totalSize: 450,
          done: false,
          nextRecordsUrl: '/services/data/v62.0/query/01gQc0000001AAA-400',
          records: rows(200),
        },
      ],
      ['query/01gQc0000001AAA-400', { totalSize: 450, done: true, records: rows(50) }],
      ['tooling/query/01gQc0000002AAA-200', { size: 210, totalSize: 210, done: true, records: rows(10) }],
      ['query', { totalSize: 7, done: true, records: [] }],
      ['queryAll', { totalSize: 2, done: true, records: rows(2, contacts) }],
    ];
    for (const [path, body] of cases) {
      const text = page(body);
      expect(queryPageSize(path, text), path).toBe((body.records as unknown[]).length);
      const meter = new CallMeter();
      meter.afterResponse(get(`http://x/services/data/v62.0/${path}?q=SELECT`), answer(text), target);
      expect(meter.counts.read, path).toBe((body.records as unknown[]).length);
    }
  });

  it('parses an answer that is not shaped as Salesforce shapes a page', () => {
    const reordered = JSON.stringify({ records: rows(4), totalSize: 4, done: true });
    expect(queryPageSize('query', reordered)).toBeUndefined();
    const meter = new CallMeter();
    meter.afterResponse(get('http://x/services/data/v62.0/query?q=x'), answer(reordered), target);
    expect(meter.counts.read).toBe(4);
  });
});
