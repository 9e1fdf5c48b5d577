import { beforeEach, describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../src/errors.js';
import { executeSoql } from '../src/soql/index.js';
import type { SoqlOptions } from '../src/soql/types.js';
import { soqlOrg } from './fixtures/soql-org.js';

const data: SoqlOptions = { api: 'data', apiVersion: 'v62.0' };

function caught(work: () => unknown): SalesforceApiError {
  try {
    work();
  } catch (error) {
    if (error instanceof SalesforceApiError) return error;
    throw new Error(`expected a SalesforceApiError, got ${String(error)}`);
  }
  throw new Error('expected an error');
}

describe('executeSoql record shape', () => {
  let org: ReturnType<typeof soqlOrg>;
  beforeEach(() => {
    org = soqlOrg();
  });

  it('puts attributes first, then the fields in SELECT order with their canonical names', () => {
    const result = executeSoql("select industry, NAME, id FROM account WHERE name = 'Globex'", org, data);
    const record = result.records[0] as Record<string, unknown>;
    const id = org.refs.get('globex');
    expect(Object.keys(record)).toEqual(['attributes', 'Industry', 'Name', 'Id']);
    expect(record.attributes).toEqual({
      type: 'Account',
      url: `/services/data/v62.0/sobjects/Account/${id}`,
    });
    expect(record).toMatchObject({ Industry: 'Technology', Name: 'Globex', Id: id });
  });

  it('renders numbers, booleans, dates and datetimes as Salesforce does', () => {
    const [invoice] = executeSoql(
      "SELECT Total__c, Approved__c, Due__c, Paid_At__c, Tags__c, Status__c FROM Invoice__c WHERE Name = 'INV-001'",
      org,
      data,
    ).records;
    expect(invoice).toMatchObject({
      Total__c: 1200.5,
      Approved__c: true,
      Due__c: '2024-05-01',
      Paid_At__c: '2024-05-10T16:45:00.000+0000',
      Tags__c: 'Red;Urgent',
      Status__c: 'Paid',
    });
    const [account] = executeSoql(
      "SELECT NumberOfEmployees, AnnualRevenue, CreatedDate, IsDeleted FROM Account WHERE Name = 'Acme Corp'",
      org,
      data,
    ).records;
    expect(account).toMatchObject({
      NumberOfEmployees: 250,
      AnnualRevenue: 5000000,
      CreatedDate: '2024-01-10T09:00:00.000+0000',
      IsDeleted: false,
    });
  });

  it('nests parent records with their own attributes and merges paths through the same relationship', () => {
    const [contact] = executeSoql(
      "SELECT Account.Name, LastName, Account.Owner.Name, Account.Industry FROM Contact WHERE LastName = 'Runner'",
      org,
      data,
    ).records;
    const accountId = org.refs.get('acme');
    expect(Object.keys(contact as object)).toEqual(['attributes', 'Account', 'LastName']);
    const account = (contact as Record<string, Record<string, unknown>>).Account as Record<string, unknown>;
    expect(Object.keys(account)).toEqual(['attributes', 'Name', 'Owner', 'Industry']);
    expect(account.attributes).toEqual({
      type: 'Account',
      url: `/services/data/v62.0/sobjects/Account/${accountId}`,
    });
    expect(account.Owner).toEqual({
      attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${org.userId}` },
      Name: 'Ada Admin',
    });
  });

  it('renders child subqueries as query results, and null when there are no children', () => {
    const result = executeSoql(
      "SELECT Name, (SELECT Id, Name FROM Opportunities ORDER BY CloseDate) FROM Account WHERE Name IN ('Acme Corp', 'Umbrella Corporation') ORDER BY Name",
      org,
      data,
    );
    const [acme, umbrella] = result.records as Array<Record<string, unknown>>;
    expect(umbrella?.Opportunities).toBeNull();
    const opportunities = acme?.Opportunities as {
      totalSize: number;
      done: boolean;
      records: Array<Record<string, unknown>>;
    };
    expect(opportunities.totalSize).toBe(2);
    expect(opportunities.done).toBe(true);
    expect(opportunities.records.map((record) => record.Name)).toEqual(['Acme Anvils', 'Acme Rockets']);
    expect(opportunities.records[0]?.attributes).toEqual({
      type: 'Opportunity',
      url: `/services/data/v62.0/sobjects/Opportunity/${org.refs.get('o2')}`,
    });
  });

  it('gives aggregate results the AggregateResult type and no url', () => {
    const result = executeSoql(
      'SELECT Industry, COUNT(Id), MAX(AnnualRevenue) top FROM Account GROUP BY Industry ORDER BY Industry LIMIT 1',
      org,
      data,
    );
    expect(result).toEqual({
      totalSize: 1,
      records: [{ attributes: { type: 'AggregateResult' }, Industry: 'Biotechnology', expr0: 1, top: null }],
    });
  });

  it('answers COUNT() with the count in totalSize and no records', () => {
    expect(executeSoql('SELECT COUNT() FROM Opportunity WHERE IsClosed = true', org, data)).toEqual({
      totalSize: 4,
      records: [],
    });
  });

  it('writes Tooling urls under /tooling and accepts an api version without the v', () => {
    const apexClass = org.records.insert(
      'ApexClass',
      {
        Name: 'Greeter',
        Body: 'public class Greeter {}',
        Status: 'Active',
        ApiVersion: 62,
        LengthWithoutComments: 23,
      },
      { trusted: true },
    );
    const result = executeSoql('SELECT Id, Name FROM ApexClass', org, { api: 'tooling', apiVersion: '61.0' });
    expect(result.records).toEqual([
      {
        attributes: {
          type: 'ApexClass',
          url: `/services/data/v61.0/tooling/sobjects/ApexClass/${apexClass.Id}`,
        },
        Id: apexClass.Id,
        Name: 'Greeter',
      },
    ]);
  });

  it('sees soft-deleted rows only with includeDeleted (queryAll)', () => {
    const initech = org.refs.get('initech') as string;
    org.records.delete('Opportunity', org.refs.get('o4') as string);
    const query = "SELECT Name, IsDeleted FROM Opportunity WHERE AccountId = '" + initech + "'";
    expect(executeSoql(query, org, data).records).toEqual([]);
    const all = executeSoql(query, org, { ...data, includeDeleted: true });
    expect(all.records.map((record) => [record.Name, record.IsDeleted])).toEqual([['Initech TPS', true]]);
    expect(
      executeSoql('SELECT COUNT() FROM Opportunity WHERE IsDeleted = true', org, {
        ...data,
        includeDeleted: true,
      }).totalSize,
    ).toBe(1);
  });

  it("evaluates date literals as whole days in the running user's time zone", () => {
    const query =
      'SELECT Name FROM Account WHERE CreatedDate = YESTERDAY OR CreatedDate = LAST_MONTH ORDER BY Name';
    // 12:00 UTC is 05:00 in Los Angeles: yesterday there ran from 14 May 07:00 UTC to 15 May 07:00 UTC.
    expect(executeSoql(query, org, data).records.map((record) => record.Name)).toEqual(['Initech']);
    org.records.update('User', org.userId, { TimeZoneSidKey: 'GMT' });
    expect(executeSoql(query, org, data).records.map((record) => record.Name)).toEqual([
      'Initech',
      'Wayne Enterprises',
    ]);
    org.records.update('User', org.userId, { TimeZoneSidKey: 'Asia/Tokyo' });
    // 21:00 in Tokyo: yesterday there is 14 May from 13 May 15:00 UTC, which takes in hooli's 23:59:59 UTC.
    expect(executeSoql(query, org, data).records.map((record) => record.Name)).toEqual([
      'hooli',
      'Initech',
      'Wayne Enterprises',
    ]);
  });

  it('sees records as they change', () => {
    org.records.update('Account', org.refs.get('hooli') as string, { Name: 'Hooli XYZ', AnnualRevenue: 100 });
    const result = executeSoql('SELECT Name FROM Account WHERE AnnualRevenue < 1000', org, data);
    expect(result.records.map((record) => record.Name)).toEqual(['Hooli XYZ']);
  });
});

describe('executeSoql errors', () => {
  const org = soqlOrg();

  it('words an unknown field as Salesforce does, pointing at it', () => {
    const error = caught(() => executeSoql('SELECT Id, Nmae FROM Account', org, data));
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe('INVALID_FIELD');
    expect(error.message).toBe(
      "\nSELECT Id, Nmae FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nmae' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
  });

  it('words an unknown object as Salesforce does', () => {
    const error = caught(() => executeSoql('SELECT Id FROM Foo', org, data));
    expect(error.errorCode).toBe('INVALID_TYPE');
    expect(error.message).toContain(
      "sObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    expect(error.message).toContain('ERROR at Row:1:Column:16');
  });

  it('reports syntax errors as MALFORMED_QUERY with the unexpected token', () => {
    const error = caught(() => executeSoql('SELECT Id FROM Account WHERE', org, data));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain('unexpected token: <EOF>');
    const mixed = caught(() =>
      executeSoql("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'", org, data),
    );
    expect(mixed.message).toContain("unexpected token: 'OR'");
  });

  it('counts rows and columns in multi-line queries', () => {
    const error = caught(() => executeSoql('SELECT Id,\n  Bogus__c\nFROM Account', org, data));
    expect(error.message.startsWith('\n  Bogus__c\n  ^\nERROR at Row:2:Column:3\n')).toBe(true);
  });

  it('says plainly when valid SOQL is not supported by the local org', () => {
    const error = caught(() =>
      executeSoql('SELECT Id FROM Account WITH DATA CATEGORY Geography__c AT usa__c', org, data),
    );
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain('not supported by the local org');
  });

  it('answers a missing query as malformed', () => {
    expect(caught(() => executeSoql(undefined as unknown as string, org, data)).errorCode).toBe(
      'MALFORMED_QUERY',
    );
    expect(caught(() => executeSoql('   ', org, data)).errorCode).toBe('MALFORMED_QUERY');
  });

  it('explains FIELDS(ALL) without a LIMIT', () => {
    const error = caught(() => executeSoql('SELECT FIELDS(ALL) FROM Account', org, data));
    expect(error.message).toContain('The SOQL FIELDS function must have a LIMIT of at most 200');
  });

  it('names a relationship it does not know', () => {
    expect(caught(() => executeSoql('SELECT Acount.Name FROM Contact', org, data)).message).toContain(
      "Didn't understand relationship 'Acount' in field path.",
    );
    expect(
      caught(() => executeSoql('SELECT (SELECT Id FROM Contactz) FROM Account', org, data)).message,
    ).toContain("Didn't understand relationship 'Contactz' in FROM part of query call.");
  });

  it.each([
    "SELECT Id FROM Account WHERE Name = 'unterminated",
    'SELECT Id FROM Account WHERE Name = ',
    'SELECT (SELECT (SELECT Id FROM Contacts) FROM Contacts) FROM Account',
    'SELECT Id FROM Account WHERE Id IN (SELECT Id FROM Foo)',
    'SELECT COUNT(Id) FROM Account HAVING',
    'SELECT Id FROM Account GROUP BY',
    'SELECT Id FROM Account ORDER BY',
    'SELECT Id FROM Account LIMIT -1',
    'SELECT Id FROM Account LIMIT x',
    'SELECT Id FROM Account WHERE Name LIKE 5',
    'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:',
    'SELECT AVG() FROM Account',
    "SELECT DISTANCE(BillingAddress, GEOLOCATION(1,2), 'mi') FROM Account",
    "SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1,2), 'mi') < 20",
    'SELECT convertCurrency(AnnualRevenue) FROM Account',
    'SELECT Id FROM Account WITH DATA CATEGORY Geography__c AT usa__c',
    'SELECT Id FROM Account UPDATE TRACKING',
    'SELECT FIELDS(NONE) FROM Account',
    '}{',
    'SELECT Id FROM Account WHERE BillingAddress = null',
  ])('answers %s with a SalesforceApiError', (soql) => {
    const error = caught(() => executeSoql(soql, org, data));
    expect(error.status).toBe(400);
    expect(error.errorCode).toMatch(
      /^(MALFORMED_QUERY|INVALID_FIELD|INVALID_TYPE|NUMBER_OUTSIDE_VALID_RANGE)$/,
    );
  });
});

describe('LIKE with escaped characters', () => {
  it('reads \\\\ as a literal backslash, and \\% and \\_ as literal wildcards', () => {
    const org = soqlOrg();
    org.records.insert('Account', { Name: 'pre%Z\\post' });
    org.records.insert('Account', { Name: 'preZpost' });
    const names = (soql: string) =>
      executeSoql(soql, org, data).records.map((record) => (record as { Name: string }).Name);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '%\\%Z\\\\%'")).toEqual(['pre%Z\\post']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '%Z\\\\%'")).toEqual(['pre%Z\\post']);
  });
});
