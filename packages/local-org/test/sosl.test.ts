import { describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../src/errors.js';
import { executeSosl } from '../src/soql/index.js';
import { soqlOrg } from './fixtures/soql-org.js';

const org = soqlOrg();

function search(sosl: string): Array<Record<string, unknown>> {
  return executeSosl(sosl, org, 'v62.0').searchRecords;
}

/** `Type:Name` (or the field given) of each found record, in order. */
function found(sosl: string, field = 'Name'): string[] {
  return search(sosl).map(
    (record) => `${(record.attributes as { type: string }).type}:${String(record[field] ?? record.LastName)}`,
  );
}

function errorOf(sosl: string): SalesforceApiError {
  try {
    executeSosl(sosl, org, 'v62.0');
  } catch (error) {
    if (error instanceof SalesforceApiError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('executeSosl', () => {
  it('returns searchRecords with attributes and the fields asked for', () => {
    const records = search('FIND {Globex} IN ALL FIELDS RETURNING Account(Id, Name, Industry)');
    const id = org.refs.get('globex');
    expect(records).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}` },
        Id: id,
        Name: 'Globex',
        Industry: 'Technology',
      },
    ]);
  });

  it('returns only the Id for an object without a field list', () => {
    const records = search('FIND {Globex} RETURNING Account');
    expect(records).toEqual([
      {
        attributes: {
          type: 'Account',
          url: `/services/data/v62.0/sobjects/Account/${org.refs.get('globex')}`,
        },
        Id: org.refs.get('globex'),
      },
    ]);
  });

  it('searches every searchable object when there is no RETURNING', () => {
    const types = new Set(
      search('FIND {acme}').map((record) => (record.attributes as { type: string }).type),
    );
    expect(types).toEqual(new Set(['Account', 'Contact', 'Opportunity']));
  });

  it.each([
    [
      'FIND {acme*} IN NAME FIELDS RETURNING Account(Name), Contact(LastName), Opportunity(Name ORDER BY Name)',
      ['Account:Acme Corp', 'Opportunity:Acme Anvils', 'Opportunity:Acme Rockets'],
    ],
    [
      'FIND {ACME} RETURNING Account(Name), Contact(LastName ORDER BY LastName)',
      ['Account:Acme Corp', 'Contact:Coyote', 'Contact:Runner'],
    ],
    ["FIND {acme} RETURNING Contact(LastName WHERE LeadSource = 'Web')", ['Contact:Coyote']],
    ['FIND {acme} RETURNING Opportunity(Name ORDER BY Name LIMIT 1)', ['Opportunity:Acme Anvils']],
    [
      'FIND {acme} RETURNING Account(Name), Opportunity(Name) LIMIT 2',
      ['Account:Acme Corp', 'Opportunity:Acme Rockets'],
    ],
    ['FIND {Sta*} RETURNING Account(Name)', ['Account:Stark Industries']],
    ['FIND {St?rk} RETURNING Account(Name)', ['Account:Stark Industries']],
    [
      'FIND {Stark OR Globex} RETURNING Account(Name ORDER BY Name)',
      ['Account:Globex', 'Account:Stark Industries'],
    ],
    ['FIND {stark industries} RETURNING Account(Name)', ['Account:Stark Industries']],
    ['FIND {"stark industries"} RETURNING Account(Name)', ['Account:Stark Industries']],
    ['FIND {"industries stark"} RETURNING Account(Name)', []],
    ['FIND {acme AND NOT rockets} RETURNING Opportunity(Name)', ['Opportunity:Acme Anvils']],
    [
      'FIND {(rockets OR anvils) AND acme} RETURNING Opportunity(Name ORDER BY Name DESC)',
      ['Opportunity:Acme Rockets', 'Opportunity:Acme Anvils'],
    ],
    ['FIND {acm} RETURNING Account(Name)', []],
    ['FIND {stark.example} IN EMAIL FIELDS RETURNING Contact(LastName)', ['Contact:Stark', 'Contact:Potts']],
    ['FIND {tony@stark.example} RETURNING Contact(LastName)', ['Contact:Stark']],
    [
      'FIND {stark} IN EMAIL FIELDS RETURNING Account(Name), Contact(LastName)',
      ['Contact:Stark', 'Contact:Potts'],
    ],
    ['FIND {617-555-0101} IN PHONE FIELDS RETURNING Account(Name), Contact(LastName)', ['Contact:Coyote']],
    [
      'FIND {617*} IN PHONE FIELDS RETURNING Account(Name), Contact(LastName)',
      ['Account:Acme Corp', 'Contact:Coyote'],
    ],
    ["FIND {O\\'Neil} RETURNING Account(Name)", ["Account:O'Neil & Sons_50%"]],
    ['FIND {Engineer} RETURNING Contact(LastName)', ['Contact:Coyote']],
    ['FIND {Engineer} IN NAME FIELDS RETURNING Contact(LastName)', []],
    ['FIND {Coyote} RETURNING Contact(LastName, Account.Name)', ['Contact:Coyote']],
    ["FIND 'globex' RETURNING Account(Name)", ['Account:Globex']],
    [
      'FIND {INV*} RETURNING Invoice__c(Name WHERE Total__c > 100 ORDER BY Total__c DESC)',
      ['Invoice__c:INV-003', 'Invoice__c:INV-001', 'Invoice__c:INV-002'],
    ],
    ['FIND {globex} RETURNING Account(Name) WITH SPELL_CORRECTION = false', ['Account:Globex']],
  ])('%s', (sosl, expected) => {
    expect(found(sosl)).toEqual(expected);
  });

  it('renders relationship fields in results', () => {
    const [contact] = search('FIND {Coyote} RETURNING Contact(LastName, Account.Name)');
    expect((contact?.Account as Record<string, unknown>).Name).toBe('Acme Corp');
  });

  it('asks for braces around the search term', () => {
    expect(errorOf('FIND acme RETURNING Account').message).toContain(
      'No search term found. The search term must be enclosed in braces.',
    );
  });

  it.each([
    ['FIND acme RETURNING Account', 'MALFORMED_SEARCH'],
    ['FIND {acme', 'MALFORMED_SEARCH'],
    ['FIND {a}', 'MALFORMED_SEARCH'],
    ['FIND {acme} IN BOGUS FIELDS', 'MALFORMED_SEARCH'],
    ['FIND {acme} RETURNING', 'MALFORMED_SEARCH'],
    ['FIND {acme} RETURNING Account(', 'MALFORMED_SEARCH'],
    ['FIND {acme} RETURNING Account(Name WHERE)', 'MALFORMED_SEARCH'],
    ['FIND {acme} RETURNING Account(Name) LIMIT x', 'MALFORMED_SEARCH'],
    ['FIND {acme} BOGUS', 'MALFORMED_SEARCH'],
    ['SELECT Id FROM Account', 'MALFORMED_SEARCH'],
    ['', 'MALFORMED_SEARCH'],
    ['FIND {acme} RETURNING Foo__c(Name)', 'INVALID_TYPE'],
    ['FIND {acme} RETURNING Organization(Name)', 'INVALID_TYPE'],
    ['FIND {acme} RETURNING Account(Nmae)', 'INVALID_FIELD'],
  ])('answers %s with %s', (sosl, code) => {
    const error = errorOf(sosl);
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe(code);
  });
});
