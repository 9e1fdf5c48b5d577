import { formatTable } from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import { flattenRecord, orderColumns, tableHeader, tableLines } from '../../src/lib/records.js';

const record = {
  attributes: { type: 'Contact', url: '/x' },
  Id: '003',
  LastName: 'Rossi',
  Account: {
    attributes: { type: 'Account' },
    Name: 'Acme | Co',
    Owner: { attributes: { type: 'User' }, Name: 'Ada' },
  },
  ReportsTo: null,
  MailingAddress: { city: 'Oslo' },
  Cases: { totalSize: 1, done: true, records: [{ attributes: { type: 'Case' }, Subject: 'Broken\nlid' }] },
};

describe('records', () => {
  it('flattens parents into dotted columns, keeps compound fields, and child lists as arrays', () => {
    expect(flattenRecord(record)).toEqual({
      Id: '003',
      LastName: 'Rossi',
      'Account.Name': 'Acme | Co',
      'Account.Owner.Name': 'Ada',
      ReportsTo: null,
      MailingAddress: { city: 'Oslo' },
      Cases: [{ Subject: 'Broken\nlid' }],
    });
  });

  it('orders columns as the query does, a null parent standing for its fields', () => {
    const rows = [flattenRecord(record), { Id: '004', LastName: 'Lee', Account: null, ReportsTo: null }];
    expect(orderColumns(rows, ['id', 'Account.Owner.Name', 'ReportsTo.Name', 'LastName'])).toEqual([
      'Id',
      'Account.Owner.Name',
      'ReportsTo.Name',
      'LastName',
      'Account.Name',
      'MailingAddress',
      'Cases',
    ]);
  });

  it('writes table lines exactly as formatTable does', () => {
    const rows = [
      { a: 'x|y', b: 'two\nlines', c: null },
      { a: 'back\\slash', b: 3, c: { k: 1 } },
    ];
    const columns = ['a', 'b', 'c'];
    expect([tableHeader(columns), ...tableLines(rows, columns)].join('\n')).toBe(formatTable(rows, columns));
  });
});
