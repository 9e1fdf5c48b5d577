/**
 * The SOQL conformance table: queries over a fixed seed (test/fixtures/soql-seed.json) with a fixed clock
 * (Wednesday 15 May 2024, 12:00 UTC; the running user is in America/Los_Angeles), and what Salesforce answers for each.
 * `{ref}` in a query is replaced by the id of the seed record with that @ref (`{ref15}` by its 15-character form).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../src/errors.js';
import { executeSoql } from '../src/soql/index.js';
import type { SoqlOptions } from '../src/soql/types.js';
import { soqlOrg } from './fixtures/soql-org.js';

type Expectation =
  /** Values of one field (default `Name`) of the records, in order. */
  | { values: unknown[]; field?: string }
  /** COUNT(): totalSize with no records. */
  | { count: number }
  /** Records without `attributes` (recursively), for aggregates and nested shapes. */
  | { rows: Record<string, unknown>[] }
  /** The first record, partially. */
  | { first: Record<string, unknown> }
  | { error: string };

type Row = [soql: string, expected: Expectation, api?: SoqlOptions['api']];

const ALL_ACCOUNTS = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Corporation',
  'Stark Industries',
  'Wayne Enterprises',
  'hooli',
  "O'Neil & Sons_50%",
];
const BY_NAME = [
  'Acme Corp',
  'Globex',
  'hooli',
  'Initech',
  "O'Neil & Sons_50%",
  'Stark Industries',
  'Umbrella Corporation',
  'Wayne Enterprises',
];
const v = (...values: unknown[]): Expectation => ({ values });
const lastNames = (...values: unknown[]): Expectation => ({ values, field: 'LastName' });
const error = (code: string): Expectation => ({ error: code });

const basics: Row[] = [
  ['SELECT Name FROM Account', v(...ALL_ACCOUNTS)],
  ['SELECT Name FROM Account ORDER BY Name', v(...BY_NAME)],
  ['SELECT Name FROM Account ORDER BY Name DESC', v(...[...BY_NAME].reverse())],
  ['SELECT Name FROM Account ORDER BY Name LIMIT 3', v('Acme Corp', 'Globex', 'hooli')],
  ['SELECT Name FROM Account ORDER BY Name LIMIT 3 OFFSET 2', v('hooli', 'Initech', "O'Neil & Sons_50%")],
  ['SELECT Name FROM Account ORDER BY Name OFFSET 7', v('Wayne Enterprises')],
  ['SELECT Name FROM Account LIMIT 0', v()],
  ["select name from account where name = 'ACME CORP'", v('Acme Corp')],
  ["SELECT Name FROM Account WHERE Name != 'Acme Corp' ORDER BY Name LIMIT 2", v('Globex', 'hooli')],
  ["SELECT Name FROM Account WHERE Name <> 'Acme Corp' ORDER BY Name LIMIT 2", v('Globex', 'hooli')],
  [
    'SELECT Name FROM Account WHERE AnnualRevenue > 10000000',
    v('Globex', 'Stark Industries', 'Wayne Enterprises'),
  ],
  [
    'SELECT Name FROM Account WHERE AnnualRevenue >= 5000000',
    v('Acme Corp', 'Globex', 'Stark Industries', 'Wayne Enterprises'),
  ],
  ['SELECT Name FROM Account WHERE AnnualRevenue < 1000000', v('Initech')],
  ['SELECT Name FROM Account WHERE AnnualRevenue <= 750000', v('Initech')],
  ['SELECT Name FROM Account WHERE AnnualRevenue = null', v('Umbrella Corporation', "O'Neil & Sons_50%")],
  [
    'SELECT Name FROM Account WHERE AnnualRevenue != null',
    v('Acme Corp', 'Globex', 'Initech', 'Stark Industries', 'Wayne Enterprises', 'hooli'),
  ],
  ['SELECT Name FROM Account WHERE NumberOfEmployees = 250', v('Acme Corp')],
  ['SELECT Name FROM Account WHERE AnnualRevenue = 5000000.0', v('Acme Corp')],
  [
    'SELECT Name FROM Account WHERE NumberOfEmployees > 1000.5',
    v('Umbrella Corporation', 'Stark Industries'),
  ],
  ["SELECT Name FROM Account WHERE Industry = 'technology'", v('Globex', 'Initech', 'hooli')],
  [
    "SELECT Name FROM Account WHERE Industry IN ('Finance', 'Retail')",
    v('Wayne Enterprises', "O'Neil & Sons_50%"),
  ],
  [
    "SELECT Name FROM Account WHERE Industry NOT IN ('Technology', 'Manufacturing')",
    v('Umbrella Corporation', 'Wayne Enterprises', "O'Neil & Sons_50%"),
  ],
  [
    "SELECT Name FROM Account WHERE Rating IN ('Cold', null)",
    v('Initech', 'Umbrella Corporation', 'Wayne Enterprises', "O'Neil & Sons_50%"),
  ],
  ['SELECT Name FROM Account WHERE Type = null', v('Wayne Enterprises', "O'Neil & Sons_50%")],
  ["SELECT Name FROM Account WHERE BillingCity = ''", v('hooli')],
  ["SELECT COUNT() FROM Account WHERE BillingCity != ''", { count: 7 }],
  [
    "SELECT Name FROM Account WHERE Type != 'Prospect'",
    v(
      'Acme Corp',
      'Initech',
      'Umbrella Corporation',
      'Stark Industries',
      'Wayne Enterprises',
      "O'Neil & Sons_50%",
    ),
  ],
  [
    "SELECT Name FROM Account WHERE BillingCountry = 'usa' AND BillingCity > 'M'",
    v('Globex', 'Stark Industries'),
  ],
  [
    "SELECT Name FROM Account WHERE Name > 'S' ORDER BY Name",
    v('Stark Industries', 'Umbrella Corporation', 'Wayne Enterprises'),
  ],
  ['SELECT Name FROM Account WHERE Tier__c = 1', v('Acme Corp', 'Globex', 'Stark Industries')],
  ["SELECT Name FROM Account WHERE Region__c = 'North'", v('Globex', "O'Neil & Sons_50%")],
];

const like: Row[] = [
  ["SELECT Name FROM Account WHERE Name LIKE 'acme%'", v('Acme Corp')],
  ["SELECT Name FROM Account WHERE Name LIKE '%corp%'", v('Acme Corp', 'Umbrella Corporation')],
  ["SELECT Name FROM Account WHERE Name LIKE '_lobex'", v('Globex')],
  ["SELECT Name FROM Account WHERE Name LIKE 'Stark'", v()],
  ["SELECT Name FROM Account WHERE Name LIKE '%\\_50\\%'", v("O'Neil & Sons_50%")],
  ["SELECT Name FROM Account WHERE Name LIKE 'O\\'Neil%'", v("O'Neil & Sons_50%")],
  ["SELECT Name FROM Account WHERE NOT Name LIKE '%e%'", v('hooli')],
  ["SELECT LastName FROM Contact WHERE Email LIKE '%@stark.example'", lastNames('Stark', 'Potts')],
  ["SELECT Name FROM Account WHERE Name LIKE '%'", v(...ALL_ACCOUNTS)],
  ["SELECT Name FROM Account WHERE Id LIKE '001%'", error('INVALID_QUERY_FILTER_OPERATOR')],
  ["SELECT Name FROM Account WHERE AnnualRevenue LIKE '5%'", error('INVALID_FIELD')],
];

const logic: Row[] = [
  [
    "SELECT Name FROM Account WHERE Industry = 'Technology' AND AnnualRevenue > 1000000",
    v('Globex', 'hooli'),
  ],
  [
    "SELECT Name FROM Account WHERE Industry = 'Finance' OR Rating = 'Cold'",
    v('Initech', 'Wayne Enterprises'),
  ],
  [
    "SELECT Name FROM Account WHERE (Industry = 'Technology' OR Industry = 'Finance') AND AnnualRevenue > 5000000",
    v('Globex', 'Wayne Enterprises'),
  ],
  [
    "SELECT Name FROM Account WHERE Industry = 'Technology' OR (Industry = 'Manufacturing' AND Rating = 'Hot')",
    v('Acme Corp', 'Globex', 'Initech', 'Stark Industries', 'hooli'),
  ],
  [
    "SELECT Name FROM Account WHERE NOT Industry = 'Technology'",
    v('Acme Corp', 'Umbrella Corporation', 'Stark Industries', 'Wayne Enterprises', "O'Neil & Sons_50%"),
  ],
  [
    "SELECT Name FROM Account WHERE NOT (Industry = 'Technology' OR Industry = 'Manufacturing')",
    v('Umbrella Corporation', 'Wayne Enterprises', "O'Neil & Sons_50%"),
  ],
  ["SELECT Name FROM Account WHERE ((Name = 'Globex'))", v('Globex')],
  [
    "SELECT Name FROM Account WHERE (NOT Rating = 'Hot') AND Region__c = 'West'",
    v('Umbrella Corporation', 'hooli'),
  ],
  ["SELECT Name FROM Account WHERE Rating = 'Hot' AND (NOT Region__c = 'East')", v()],
  [
    "SELECT Name FROM Account WHERE Name = 'Globex' AND Name = 'Initech' OR Name = 'hooli'",
    error('MALFORMED_QUERY'),
  ],
  [
    "SELECT Name FROM Account WHERE (Name = 'Globex' OR Name = 'hooli') AND (Rating = 'Warm' OR Tier__c = 3)",
    v('Globex', 'hooli'),
  ],
];

const booleans: Row[] = [
  ['SELECT Name FROM Opportunity WHERE IsWon = true', v('Acme Anvils', 'Stark Armor', 'Wayne Tech')],
  [
    'SELECT Name FROM Opportunity WHERE IsClosed = false',
    v('Acme Rockets', 'Globex Platform', 'Stark Reactor', 'Hooli Search'),
  ],
  ['SELECT Name FROM Invoice__c WHERE Approved__c = false', v('INV-002', 'INV-003', 'INV-005')],
  ['SELECT Name FROM Invoice__c WHERE Approved__c = TRUE', v('INV-001', 'INV-004')],
  ['SELECT Name FROM Opportunity WHERE IsWon != true AND IsClosed = true', v('Initech TPS')],
  ['SELECT Name FROM Invoice__c WHERE Approved__c = null', v('INV-002', 'INV-003', 'INV-005')],
  ['SELECT Name FROM Invoice__c WHERE Approved__c != null', v('INV-001', 'INV-004')],
];

const dates: Row[] = [
  ['SELECT Name FROM Opportunity WHERE CloseDate = TODAY', v('Acme Rockets')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = YESTERDAY', v('Wayne Tech')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = TOMORROW', v('Stark Reactor')],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = THIS_WEEK',
    v('Acme Rockets', 'Stark Reactor', 'Wayne Tech'),
  ],
  ['SELECT Name FROM Opportunity WHERE CloseDate = LAST_WEEK', v()],
  ['SELECT Name FROM Opportunity WHERE CloseDate = NEXT_WEEK', v()],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = THIS_MONTH',
    v('Acme Rockets', 'Stark Reactor', 'Wayne Tech'),
  ],
  ['SELECT Name FROM Opportunity WHERE CloseDate = LAST_MONTH', v('Acme Anvils')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = NEXT_MONTH', v('Globex Platform')],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = THIS_QUARTER',
    v('Acme Rockets', 'Acme Anvils', 'Globex Platform', 'Stark Reactor', 'Wayne Tech'),
  ],
  ['SELECT Name FROM Opportunity WHERE CloseDate = LAST_QUARTER', v('Initech TPS')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = NEXT_QUARTER', v('Hooli Search')],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = THIS_YEAR',
    v(
      'Acme Rockets',
      'Acme Anvils',
      'Globex Platform',
      'Initech TPS',
      'Stark Reactor',
      'Wayne Tech',
      'Hooli Search',
    ),
  ],
  ['SELECT Name FROM Opportunity WHERE CloseDate = LAST_YEAR', v('Stark Armor')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = NEXT_YEAR', v()],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = THIS_FISCAL_YEAR',
    v(
      'Acme Rockets',
      'Acme Anvils',
      'Globex Platform',
      'Initech TPS',
      'Stark Reactor',
      'Wayne Tech',
      'Hooli Search',
    ),
  ],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = THIS_FISCAL_QUARTER',
    v('Acme Rockets', 'Acme Anvils', 'Globex Platform', 'Stark Reactor', 'Wayne Tech'),
  ],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:30',
    v('Acme Rockets', 'Acme Anvils', 'Wayne Tech'),
  ],
  ['SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:60', v('Globex Platform', 'Stark Reactor')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = N_DAYS_AGO:1', v('Wayne Tech')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_MONTHS:1', v('Acme Anvils')],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_MONTHS:5',
    v('Acme Anvils', 'Initech TPS', 'Stark Armor'),
  ],
  ['SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_MONTHS:3', v('Globex Platform', 'Hooli Search')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = N_MONTHS_AGO:4', v('Initech TPS')],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = LAST_90_DAYS',
    v('Acme Rockets', 'Acme Anvils', 'Wayne Tech'),
  ],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate = NEXT_90_DAYS',
    v('Globex Platform', 'Stark Reactor', 'Hooli Search'),
  ],
  ['SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_YEARS:1', v('Stark Armor')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = N_QUARTERS_AGO:2', v('Stark Armor')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_QUARTERS:1', v('Hooli Search')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_WEEKS:2', v()],
  ['SELECT Name FROM Opportunity WHERE CloseDate = N_WEEKS_AGO:4', v('Acme Anvils')],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate > TODAY',
    v('Globex Platform', 'Stark Reactor', 'Hooli Search'),
  ],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate < TODAY',
    v('Acme Anvils', 'Initech TPS', 'Stark Armor', 'Wayne Tech'),
  ],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate >= THIS_MONTH',
    v('Acme Rockets', 'Globex Platform', 'Stark Reactor', 'Wayne Tech', 'Hooli Search'),
  ],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate <= LAST_MONTH',
    v('Acme Anvils', 'Initech TPS', 'Stark Armor'),
  ],
  ['SELECT Name FROM Opportunity WHERE CloseDate != THIS_YEAR', v('Stark Armor')],
  ['SELECT Name FROM Opportunity WHERE CloseDate = 2024-05-15', v('Acme Rockets')],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate > 2024-05-15',
    v('Globex Platform', 'Stark Reactor', 'Hooli Search'),
  ],
  [
    'SELECT Name FROM Opportunity WHERE CloseDate IN (2024-05-15, 2024-01-31)',
    v('Acme Rockets', 'Initech TPS'),
  ],
  ['SELECT Name FROM Opportunity WHERE CloseDate IN (TODAY, LAST_YEAR)', v('Acme Rockets', 'Stark Armor')],
  ['SELECT Name FROM Account WHERE CreatedDate = THIS_WEEK', v('Initech', 'Stark Industries', 'hooli')],
  ['SELECT Name FROM Account WHERE CreatedDate = TODAY', v('Stark Industries')],
  ['SELECT Name FROM Account WHERE CreatedDate = YESTERDAY', v('Initech')],
  ['SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:1', v('Initech', 'Stark Industries')],
  [
    'SELECT Name FROM Account WHERE CreatedDate < 2024-01-01T00:00:00Z',
    v('Umbrella Corporation', "O'Neil & Sons_50%"),
  ],
  ['SELECT Name FROM Account WHERE CreatedDate > 2024-05-14T00:00:00Z', v('Initech', 'Stark Industries')],
  [
    'SELECT Name FROM Account WHERE CreatedDate >= 2024-05-13T23:59:59Z',
    v('Initech', 'Stark Industries', 'hooli'),
  ],
  ['SELECT Name FROM Account WHERE CreatedDate = 2024-04-01T00:00:00.000+0000', v('Wayne Enterprises')],
  ['SELECT Name FROM Account WHERE CreatedDate = 2024-04-01T02:00:00+02:00', v('Wayne Enterprises')],
  // Date literals are days in the running user's time zone (America/Los_Angeles): Wayne's 2024-04-01T00:00Z is 31 March there.
  ['SELECT Name FROM Account WHERE CreatedDate = LAST_MONTH', v()],
  ['SELECT Name FROM Account WHERE CreatedDate = N_MONTHS_AGO:2', v('Globex', 'Wayne Enterprises')],
  ['SELECT Name FROM Invoice__c WHERE Paid_At__c = THIS_MONTH', v('INV-001', 'INV-004')],
  ['SELECT Name FROM Invoice__c WHERE Due__c < TODAY', v('INV-001', 'INV-004')],
  ['SELECT Name FROM Invoice__c WHERE Due__c = null', v('INV-005')],
  ['SELECT LastName FROM Contact WHERE Birthdate = 1980-05-15', lastNames('Coyote')],
  ['SELECT Name FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = 2023', v('Stark Armor')],
  [
    'SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(CloseDate) = 5',
    v('Acme Rockets', 'Stark Reactor', 'Wayne Tech'),
  ],
  ['SELECT Name FROM Opportunity WHERE DAY_IN_WEEK(CloseDate) = 4', v('Acme Rockets', 'Initech TPS')],
  [
    'SELECT Name FROM Opportunity WHERE CALENDAR_QUARTER(CloseDate) = 2',
    v('Acme Rockets', 'Acme Anvils', 'Globex Platform', 'Stark Reactor', 'Wayne Tech'),
  ],
  ['SELECT Name FROM Account WHERE HOUR_IN_DAY(CreatedDate) > 12', v('Globex', 'hooli')],
];

const multiPicklists: Row[] = [
  ["SELECT Name FROM Invoice__c WHERE Tags__c INCLUDES ('Red')", v('INV-001', 'INV-003')],
  ["SELECT Name FROM Invoice__c WHERE Tags__c INCLUDES ('Red;Urgent')", v('INV-001')],
  [
    "SELECT Name FROM Invoice__c WHERE Tags__c INCLUDES ('Green', 'Urgent')",
    v('INV-001', 'INV-002', 'INV-003', 'INV-005'),
  ],
  ["SELECT Name FROM Invoice__c WHERE Tags__c INCLUDES ('urgent;RED')", v('INV-001')],
  ["SELECT Name FROM Invoice__c WHERE Tags__c EXCLUDES ('Red')", v('INV-002', 'INV-004', 'INV-005')],
  ["SELECT Name FROM Invoice__c WHERE Tags__c = 'Green;Blue;Red'", v('INV-003')],
  ["SELECT Name FROM Invoice__c WHERE Tags__c = 'Red'", v()],
  ["SELECT Name FROM Invoice__c WHERE Tags__c != 'Green'", v('INV-001', 'INV-003', 'INV-004', 'INV-005')],
  ["SELECT Name FROM Account WHERE Name INCLUDES ('Globex')", error('MALFORMED_QUERY')],
];

const semiJoins: Row[] = [
  [
    'SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)',
    v('Acme Corp', 'Globex', 'Initech', 'Stark Industries'),
  ],
  [
    'SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)',
    v('Umbrella Corporation', 'Wayne Enterprises', 'hooli', "O'Neil & Sons_50%"),
  ],
  [
    'SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE IsWon = true)',
    v('Acme Corp', 'Stark Industries', 'Wayne Enterprises'),
  ],
  [
    "SELECT LastName FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Industry = 'Technology')",
    lastNames('Scorpio', 'Gibbons'),
  ],
  [
    "SELECT LastName FROM Contact WHERE AccountId NOT IN (SELECT Id FROM Account WHERE Industry = 'Technology')",
    lastNames('Coyote', 'Runner', 'Stark', 'Potts', 'Wolf'),
  ],
  [
    "SELECT Name FROM Account WHERE Id IN (SELECT Account__c FROM Invoice__c WHERE Status__c = 'Paid') AND Rating = 'Hot'",
    v('Acme Corp', 'Stark Industries'),
  ],
  ['SELECT Name FROM Account WHERE Id IN (SELECT LastName FROM Contact)', error('INVALID_FIELD')],
  ['SELECT Name FROM Account WHERE Name IN (SELECT AccountId FROM Contact)', error('INVALID_FIELD')],
];

const ids: Row[] = [
  ["SELECT Name FROM Account WHERE Id = '{acme}'", v('Acme Corp')],
  ["SELECT Name FROM Account WHERE Id = '{acme15}'", v('Acme Corp')],
  ["SELECT Name FROM Account WHERE Id = 'garbage'", error('INVALID_QUERY_FILTER_OPERATOR')],
  ["SELECT Name FROM Account WHERE ParentId = '{acme}'", v('Stark Industries', 'Wayne Enterprises')],
  ["SELECT Name FROM Account WHERE Id IN ('{acme}', '{globex}')", v('Acme Corp', 'Globex')],
  ["SELECT Name FROM Account WHERE OwnerId = '{sam}'", v('Globex', 'Initech', 'Wayne Enterprises', 'hooli')],
  [
    "SELECT Name FROM Account WHERE Id != '{acme}' AND ParentId = null AND OwnerId = '{admin}'",
    v('Umbrella Corporation', "O'Neil & Sons_50%"),
  ],
  ["SELECT Id FROM Account WHERE Name = 'Globex'", { values: ['{globex}'], field: 'Id' }],
];

const relationships: Row[] = [
  [
    "SELECT Name, Owner.Name FROM Account WHERE Name = 'Globex'",
    { rows: [{ Name: 'Globex', Owner: { Name: 'Sam Seller' } }] },
  ],
  [
    "SELECT Name, Parent.Name FROM Account WHERE Parent.Name = 'Acme Corp'",
    v('Stark Industries', 'Wayne Enterprises'),
  ],
  [
    "SELECT LastName, Account.Name, Account.Owner.Name, Account.Owner.Title FROM Contact WHERE LastName = 'Coyote'",
    {
      rows: [
        { LastName: 'Coyote', Account: { Name: 'Acme Corp', Owner: { Name: 'Ada Admin', Title: null } } },
      ],
    },
  ],
  [
    "SELECT LastName, Account.Name FROM Contact WHERE LastName = 'Wolf'",
    { rows: [{ LastName: 'Wolf', Account: null }] },
  ],
  [
    "SELECT LastName FROM Contact WHERE Account.Industry = 'Manufacturing'",
    lastNames('Coyote', 'Runner', 'Stark', 'Potts'),
  ],
  [
    'SELECT LastName FROM Contact ORDER BY Account.Name, LastName',
    lastNames('Wolf', 'Coyote', 'Runner', 'Scorpio', 'Gibbons', 'Potts', 'Stark'),
  ],
  [
    "SELECT LastName, ReportsTo.LastName FROM Contact WHERE ReportsTo.LastName = 'Coyote'",
    { rows: [{ LastName: 'Runner', ReportsTo: { LastName: 'Coyote' } }] },
  ],
  [
    "SELECT Name, Account__r.Name FROM Invoice__c WHERE Account__r.Region__c = 'East'",
    v('INV-001', 'INV-002', 'INV-004'),
  ],
  [
    "SELECT Name, Account__r.Owner.Name FROM Invoice__c WHERE Name = 'INV-005'",
    { rows: [{ Name: 'INV-005', Account__r: null }] },
  ],
  [
    "SELECT Name, Account__r.Name, Account__r.Parent.Name FROM Invoice__c WHERE Name = 'INV-004'",
    { rows: [{ Name: 'INV-004', Account__r: { Name: 'Stark Industries', Parent: { Name: 'Acme Corp' } } }] },
  ],
  ['SELECT Acount.Name FROM Contact', error('INVALID_FIELD')],
  ['SELECT Account.Nmae FROM Contact', error('INVALID_FIELD')],
  ['SELECT Account__c.Name FROM Invoice__c', error('INVALID_FIELD')],
  ["SELECT c.LastName FROM Contact c WHERE c.Account.Name = 'Globex'", lastNames('Scorpio')],
  ["SELECT Account.Name FROM Account WHERE Account.Name = 'Globex'", v('Globex')],
  [
    "SELECT Name, CreatedBy.Name FROM Account WHERE Name = 'hooli'",
    { rows: [{ Name: 'hooli', CreatedBy: { Name: 'Ada Admin' } }] },
  ],
];

const children: Row[] = [
  [
    "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name = 'Stark Industries'",
    {
      rows: [
        {
          Name: 'Stark Industries',
          Contacts: { totalSize: 2, done: true, records: [{ LastName: 'Potts' }, { LastName: 'Stark' }] },
        },
      ],
    },
  ],
  [
    "SELECT Name, (SELECT Name FROM Opportunities WHERE IsWon = true) FROM Account WHERE Name = 'Initech'",
    { rows: [{ Name: 'Initech', Opportunities: null }] },
  ],
  [
    "SELECT Name, (SELECT Name FROM Invoices__r ORDER BY Name DESC LIMIT 1) FROM Account WHERE Name = 'Acme Corp'",
    {
      rows: [
        { Name: 'Acme Corp', Invoices__r: { totalSize: 1, done: true, records: [{ Name: 'INV-002' }] } },
      ],
    },
  ],
  [
    "SELECT Name, (SELECT Name FROM ChildAccounts ORDER BY Name) FROM Account WHERE Name = 'Acme Corp'",
    {
      rows: [
        {
          Name: 'Acme Corp',
          ChildAccounts: {
            totalSize: 2,
            done: true,
            records: [{ Name: 'Stark Industries' }, { Name: 'Wayne Enterprises' }],
          },
        },
      ],
    },
  ],
  [
    "SELECT Name, (SELECT LastName, Account.Name FROM Contacts WHERE LeadSource = 'Web') FROM Account WHERE Name IN ('Acme Corp', 'Initech') ORDER BY Name",
    {
      rows: [
        {
          Name: 'Acme Corp',
          Contacts: {
            totalSize: 1,
            done: true,
            records: [{ LastName: 'Coyote', Account: { Name: 'Acme Corp' } }],
          },
        },
        { Name: 'Initech', Contacts: null },
      ],
    },
  ],
  [
    "SELECT (SELECT Name FROM Opportunities ORDER BY Amount DESC NULLS LAST), Name FROM Account WHERE Name = 'Stark Industries'",
    {
      rows: [
        {
          Opportunities: {
            totalSize: 2,
            done: true,
            records: [{ Name: 'Stark Armor' }, { Name: 'Stark Reactor' }],
          },
          Name: 'Stark Industries',
        },
      ],
    },
  ],
  ['SELECT Name, (SELECT Id FROM Contactz) FROM Account', error('INVALID_TYPE')],
  ['SELECT Name, (SELECT Nmae FROM Contacts) FROM Account', error('INVALID_FIELD')],
];

const aggregates: Row[] = [
  ['SELECT COUNT() FROM Account', { count: 8 }],
  ["SELECT COUNT() FROM Account WHERE Industry = 'Technology'", { count: 3 }],
  ['SELECT COUNT() FROM Account LIMIT 5', { count: 5 }],
  ['SELECT COUNT() FROM Contact WHERE AccountId = null', { count: 1 }],
  ['SELECT COUNT(Id) FROM Account', { rows: [{ expr0: 8 }] }],
  ['SELECT COUNT(AnnualRevenue) FROM Account', { rows: [{ expr0: 6 }] }],
  ['SELECT COUNT_DISTINCT(Industry) FROM Account', { rows: [{ expr0: 5 }] }],
  [
    'SELECT SUM(Amount), AVG(Amount), MIN(Amount), MAX(Amount) FROM Opportunity',
    { rows: [{ expr0: 1285000, expr1: 1285000 / 7, expr2: 5000, expr3: 1000000 }] },
  ],
  [
    'SELECT StageName, COUNT(Id) n FROM Opportunity GROUP BY StageName ORDER BY StageName',
    {
      rows: [
        // Picklists sort in their defined order: Prospecting, Qualification, ..., Closed Won, Closed Lost.
        { StageName: 'Prospecting', n: 2 },
        { StageName: 'Qualification', n: 1 },
        { StageName: 'Negotiation/Review', n: 1 },
        { StageName: 'Closed Won', n: 3 },
        { StageName: 'Closed Lost', n: 1 },
      ],
    },
  ],
  [
    'SELECT Industry, SUM(AnnualRevenue) total FROM Account GROUP BY Industry HAVING SUM(AnnualRevenue) > 10000000 ORDER BY SUM(AnnualRevenue) DESC',
    {
      rows: [
        { Industry: 'Manufacturing', total: 95000000 },
        { Industry: 'Finance', total: 45000000 },
        { Industry: 'Technology', total: 15750000 },
      ],
    },
  ],
  [
    'SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING COUNT(Id) > 1 ORDER BY COUNT(Id) DESC',
    {
      rows: [
        { Industry: 'Technology', expr0: 3 },
        { Industry: 'Manufacturing', expr0: 2 },
      ],
    },
  ],
  [
    "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING Industry LIKE '%tech%' ORDER BY Industry",
    {
      rows: [
        { Industry: 'Biotechnology', expr0: 1 },
        { Industry: 'Technology', expr0: 3 },
      ],
    },
  ],
  [
    'SELECT Account.Name, COUNT(Id) FROM Contact WHERE AccountId != null GROUP BY Account.Name ORDER BY Account.Name',
    {
      rows: [
        { Name: 'Acme Corp', expr0: 2 },
        { Name: 'Globex', expr0: 1 },
        { Name: 'Initech', expr0: 1 },
        { Name: 'Stark Industries', expr0: 2 },
      ],
    },
  ],
  [
    'SELECT MAX(CloseDate) latest, MIN(CreatedDate) FROM Opportunity',
    { rows: [{ latest: '2024-08-01', expr0: '2024-05-15T12:00:00.000+0000' }] },
  ],
  [
    "SELECT SUM(Total__c) FROM Invoice__c WHERE Name IN ('INV-001', 'INV-003', 'INV-005')",
    { rows: [{ expr0: 11275.74 }] },
  ],
  [
    'SELECT MIN(Name), MAX(Name) FROM Account',
    { rows: [{ expr0: 'Acme Corp', expr1: 'Wayne Enterprises' }] },
  ],
  [
    'SELECT CALENDAR_YEAR(CloseDate), COUNT(Id) FROM Opportunity GROUP BY CALENDAR_YEAR(CloseDate) ORDER BY CALENDAR_YEAR(CloseDate)',
    {
      rows: [
        { expr0: 2023, expr1: 1 },
        { expr0: 2024, expr1: 7 },
      ],
    },
  ],
  [
    'SELECT CALENDAR_MONTH(CloseDate) month, SUM(Amount) FROM Opportunity WHERE CloseDate = THIS_YEAR GROUP BY CALENDAR_MONTH(CloseDate) ORDER BY CALENDAR_MONTH(CloseDate) DESC LIMIT 3',
    {
      rows: [
        { month: 8, expr0: 20000 },
        { month: 6, expr0: 150000 },
        { month: 5, expr0: 85000 },
      ],
    },
  ],
  [
    'SELECT DAY_ONLY(CreatedDate) day, COUNT(Id) FROM Account WHERE CreatedDate = THIS_WEEK GROUP BY DAY_ONLY(CreatedDate) ORDER BY DAY_ONLY(CreatedDate)',
    {
      rows: [
        { day: '2024-05-13', expr0: 1 },
        { day: '2024-05-14', expr0: 1 },
        { day: '2024-05-15', expr0: 1 },
      ],
    },
  ],
  [
    // In Los Angeles hooli was created at 16:59 on 13 May and Initech at 01:00 on 14 May.
    'SELECT DAY_ONLY(convertTimezone(CreatedDate)) day, COUNT(Id) FROM Account WHERE CreatedDate = THIS_WEEK GROUP BY DAY_ONLY(convertTimezone(CreatedDate)) ORDER BY DAY_ONLY(convertTimezone(CreatedDate))',
    {
      rows: [
        { day: '2024-05-13', expr0: 1 },
        { day: '2024-05-14', expr0: 1 },
        { day: '2024-05-15', expr0: 1 },
      ],
    },
  ],
  ['SELECT Name FROM Account WHERE HOUR_IN_DAY(convertTimezone(CreatedDate)) = 16', v('hooli')],
  [
    'SELECT HOUR_IN_DAY(convertTimezone(CloseDate)) FROM Opportunity GROUP BY HOUR_IN_DAY(convertTimezone(CloseDate))',
    error('MALFORMED_QUERY'),
  ],
  ['SELECT Name, COUNT(Id) FROM Account', error('MALFORMED_QUERY')],
  ['SELECT Name, COUNT(Id) FROM Account GROUP BY Industry', error('MALFORMED_QUERY')],
  ['SELECT SUM(Name) FROM Account', error('MALFORMED_QUERY')],
  ["SELECT COUNT(Id) FROM Account WHERE Name = 'none'", { rows: [{ expr0: 0 }] }],
  ["SELECT SUM(AnnualRevenue) FROM Account WHERE Name = 'none'", { rows: [{ expr0: null }] }],
  ["SELECT Industry, COUNT(Id) FROM Account WHERE Name = 'none' GROUP BY Industry", { rows: [] }],
  [
    "SELECT Industry ind, COUNT(Id) cnt FROM Account WHERE Industry = 'Technology' GROUP BY Industry",
    { rows: [{ ind: 'Technology', cnt: 3 }] },
  ],
  [
    'SELECT Rating, COUNT(Id) FROM Account GROUP BY Rating ORDER BY Rating NULLS LAST',
    {
      rows: [
        { Rating: 'Hot', expr0: 2 },
        { Rating: 'Warm', expr0: 2 },
        { Rating: 'Cold', expr0: 1 },
        { Rating: null, expr0: 3 },
      ],
    },
  ],
  [
    'SELECT Status__c, SUM(Total__c) FROM Invoice__c GROUP BY Status__c ORDER BY Status__c',
    {
      rows: [
        { Status__c: 'Draft', expr0: 10075.24 },
        { Status__c: 'Sent', expr0: 300 },
        { Status__c: 'Paid', expr0: 1250.5 },
      ],
    },
  ],
  [
    'SELECT COUNT(Id), Industry FROM Account GROUP BY Industry ORDER BY Industry LIMIT 2 OFFSET 1',
    {
      rows: [
        { expr0: 1, Industry: 'Finance' },
        { expr0: 2, Industry: 'Manufacturing' },
      ],
    },
  ],
  [
    'SELECT Industry, Rating, COUNT(Id) FROM Account WHERE Rating != null GROUP BY Industry, Rating ORDER BY Industry, Rating',
    {
      rows: [
        { Industry: 'Manufacturing', Rating: 'Hot', expr0: 2 },
        { Industry: 'Technology', Rating: 'Warm', expr0: 2 },
        { Industry: 'Technology', Rating: 'Cold', expr0: 1 },
      ],
    },
  ],
  [
    'SELECT Industry FROM Account WHERE Industry != null GROUP BY Industry ORDER BY Industry DESC LIMIT 2',
    { rows: [{ Industry: 'Technology' }, { Industry: 'Retail' }] },
  ],
  ['SELECT COUNT() FROM Account GROUP BY Industry', { count: 5 }],
  [
    'SELECT Industry, COUNT(Id) cnt FROM Account GROUP BY ROLLUP(Industry)',
    {
      rows: [
        { Industry: 'Manufacturing', cnt: 2 },
        { Industry: 'Technology', cnt: 3 },
        { Industry: 'Biotechnology', cnt: 1 },
        { Industry: 'Finance', cnt: 1 },
        { Industry: 'Retail', cnt: 1 },
        { Industry: null, cnt: 8 },
      ],
    },
  ],
  [
    "SELECT Industry, Rating, COUNT(Id) FROM Account WHERE Industry IN ('Manufacturing', 'Technology') GROUP BY ROLLUP(Industry, Rating)",
    {
      rows: [
        { Industry: 'Manufacturing', Rating: 'Hot', expr0: 2 },
        { Industry: 'Manufacturing', Rating: null, expr0: 2 },
        { Industry: 'Technology', Rating: 'Warm', expr0: 2 },
        { Industry: 'Technology', Rating: 'Cold', expr0: 1 },
        { Industry: 'Technology', Rating: null, expr0: 3 },
        { Industry: null, Rating: null, expr0: 5 },
      ],
    },
  ],
  [
    "SELECT Industry, Rating, COUNT(Id) FROM Account WHERE Industry IN ('Manufacturing', 'Technology') GROUP BY CUBE(Industry, Rating)",
    {
      rows: [
        { Industry: 'Manufacturing', Rating: 'Hot', expr0: 2 },
        { Industry: 'Manufacturing', Rating: null, expr0: 2 },
        { Industry: 'Technology', Rating: 'Warm', expr0: 2 },
        { Industry: 'Technology', Rating: 'Cold', expr0: 1 },
        { Industry: 'Technology', Rating: null, expr0: 3 },
        { Industry: null, Rating: 'Hot', expr0: 2 },
        { Industry: null, Rating: 'Warm', expr0: 2 },
        { Industry: null, Rating: 'Cold', expr0: 1 },
        { Industry: null, Rating: null, expr0: 5 },
      ],
    },
  ],
  [
    "SELECT Industry, GROUPING(Industry) grp, COUNT(Id) FROM Account WHERE Industry = 'Technology' GROUP BY ROLLUP(Industry)",
    {
      rows: [
        { Industry: 'Technology', grp: 0, expr0: 3 },
        { Industry: null, grp: 1, expr0: 3 },
      ],
    },
  ],
  [
    "SELECT Industry, COUNT(Id) FROM Account WHERE Industry = 'Technology' GROUP BY ROLLUP(Industry) HAVING GROUPING(Industry) = 1",
    { rows: [{ Industry: null, expr0: 3 }] },
  ],
  ["SELECT Industry, COUNT(Id) FROM Account WHERE Name = 'none' GROUP BY ROLLUP(Industry)", { rows: [] }],
  ['SELECT Industry, GROUPING(Industry) FROM Account GROUP BY Industry', error('MALFORMED_QUERY')],
  [
    'SELECT Industry, Rating, COUNT(Id) FROM Account GROUP BY ROLLUP(Industry), Rating',
    error('MALFORMED_QUERY'),
  ],
  ['SELECT COUNT(), Name FROM Account', error('MALFORMED_QUERY')],
  ['SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry ORDER BY Name', error('MALFORMED_QUERY')],
  ['SELECT Name FROM Account WHERE COUNT(Id) > 1', error('MALFORMED_QUERY')],
  ["SELECT Name FROM Account WHERE Name = 'Globex' HAVING COUNT(Id) > 1", error('MALFORMED_QUERY')],
];

const polymorphic: Row[] = [
  [
    'SELECT Subject, TYPEOF What WHEN Account THEN Name, Industry WHEN Opportunity THEN Name, Amount END FROM Task ORDER BY Subject',
    {
      rows: [
        { Subject: 'Call', What: { Name: 'Acme Corp', Industry: 'Manufacturing' } },
        { Subject: 'Other', What: null },
        { Subject: 'Send Quote', What: { Name: 'Globex Platform', Amount: 150000 } },
      ],
    },
  ],
  [
    'SELECT TYPEOF What WHEN Opportunity THEN Amount ELSE Name END FROM Task WHERE WhatId != null ORDER BY Subject',
    { rows: [{ What: { Name: 'Acme Corp' } }, { What: { Amount: 150000 } }] },
  ],
  [
    'SELECT Subject, Who.Name, What.Name FROM Task WHERE WhatId != null ORDER BY Subject',
    {
      rows: [
        { Subject: 'Call', Who: { Name: 'Wile Coyote' }, What: { Name: 'Acme Corp' } },
        { Subject: 'Send Quote', Who: { Name: 'Hank Scorpio' }, What: { Name: 'Globex Platform' } },
      ],
    },
  ],
  [
    "SELECT Subject FROM Task WHERE What.Name = 'Globex Platform'",
    { values: ['Send Quote'], field: 'Subject' },
  ],
  [
    'SELECT Subject, What.Type, What.Name FROM Task WHERE WhatId != null ORDER BY Subject',
    {
      rows: [
        { Subject: 'Call', What: { Type: 'Account', Name: 'Acme Corp' } },
        { Subject: 'Send Quote', What: { Type: 'Opportunity', Name: 'Globex Platform' } },
      ],
    },
  ],
  ["SELECT Subject FROM Task WHERE What.Type = 'Opportunity'", { values: ['Send Quote'], field: 'Subject' }],
  [
    "SELECT Name, Owner.Type FROM Account WHERE Name = 'Globex'",
    { rows: [{ Name: 'Globex', Owner: { Type: 'User' } }] },
  ],
  [
    "SELECT LastName, Account.Type FROM Contact WHERE LastName = 'Coyote'",
    { rows: [{ LastName: 'Coyote', Account: { Type: 'Customer - Direct' } }] },
  ],
  [
    "SELECT Name, (SELECT Subject FROM Tasks) FROM Account WHERE Name = 'Acme Corp'",
    { rows: [{ Name: 'Acme Corp', Tasks: { totalSize: 1, done: true, records: [{ Subject: 'Call' }] } }] },
  ],
  [
    "SELECT LastName, (SELECT Subject FROM Tasks) FROM Contact WHERE LastName = 'Scorpio'",
    {
      rows: [
        { LastName: 'Scorpio', Tasks: { totalSize: 1, done: true, records: [{ Subject: 'Send Quote' }] } },
      ],
    },
  ],
  [
    "SELECT Name, (SELECT LastName, (SELECT Subject FROM Tasks) FROM Contacts ORDER BY LastName) FROM Account WHERE Name = 'Acme Corp'",
    {
      rows: [
        {
          Name: 'Acme Corp',
          Contacts: {
            totalSize: 2,
            done: true,
            records: [
              { LastName: 'Coyote', Tasks: { totalSize: 1, done: true, records: [{ Subject: 'Call' }] } },
              { LastName: 'Runner', Tasks: null },
            ],
          },
        },
      ],
    },
  ],
  ['SELECT TYPEOF What WHEN Contact THEN Name END FROM Task', error('INVALID_FIELD')],
  ['SELECT TYPEOF Foo WHEN Account THEN Name END FROM Task', error('INVALID_FIELD')],
  ['SELECT TYPEOF What WHEN Account THEN Nmae END FROM Task', error('INVALID_FIELD')],
];

const fieldsFunction: Row[] = [
  ['SELECT FIELDS(ALL) FROM Account', error('MALFORMED_QUERY')],
  ['SELECT FIELDS(CUSTOM) FROM Account LIMIT 201', error('MALFORMED_QUERY')],
  [
    "SELECT FIELDS(CUSTOM) FROM Account WHERE Name = 'Acme Corp' LIMIT 1",
    { rows: [{ Region__c: 'East', Tier__c: 1 }] },
  ],
  [
    'SELECT FIELDS(ALL) FROM Invoice__c ORDER BY Name LIMIT 1',
    { first: { Name: 'INV-001', Status__c: 'Paid', Total__c: 1200.5, Approved__c: true } },
  ],
  [
    "SELECT Name, FIELDS(CUSTOM) FROM Invoice__c WHERE Name = 'INV-002' LIMIT 10",
    { first: { Name: 'INV-002', Due__c: '2024-05-20', Paid_At__c: null, Notes__c: 'Call before sending' } },
  ],
  [
    "SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme Corp'",
    { first: { Name: 'Acme Corp', Industry: 'Manufacturing', NumberOfEmployees: 250 } },
  ],
];

const nullOrdering: Row[] = [
  [
    'SELECT Name FROM Account ORDER BY AnnualRevenue',
    v(
      'Umbrella Corporation',
      "O'Neil & Sons_50%",
      'Initech',
      'hooli',
      'Acme Corp',
      'Globex',
      'Wayne Enterprises',
      'Stark Industries',
    ),
  ],
  [
    'SELECT Name FROM Account ORDER BY AnnualRevenue DESC',
    v(
      'Stark Industries',
      'Wayne Enterprises',
      'Globex',
      'Acme Corp',
      'hooli',
      'Initech',
      'Umbrella Corporation',
      "O'Neil & Sons_50%",
    ),
  ],
  [
    'SELECT Name FROM Account ORDER BY AnnualRevenue ASC NULLS LAST',
    v(
      'Initech',
      'hooli',
      'Acme Corp',
      'Globex',
      'Wayne Enterprises',
      'Stark Industries',
      'Umbrella Corporation',
      "O'Neil & Sons_50%",
    ),
  ],
  [
    'SELECT Name FROM Account ORDER BY AnnualRevenue DESC NULLS FIRST',
    v(
      'Umbrella Corporation',
      "O'Neil & Sons_50%",
      'Stark Industries',
      'Wayne Enterprises',
      'Globex',
      'Acme Corp',
      'hooli',
      'Initech',
    ),
  ],
  [
    'SELECT Name FROM Account ORDER BY Industry, Name DESC',
    v(
      'Umbrella Corporation',
      'Wayne Enterprises',
      'Stark Industries',
      'Acme Corp',
      "O'Neil & Sons_50%",
      'Initech',
      'hooli',
      'Globex',
    ),
  ],
  [
    'SELECT Name FROM Account ORDER BY Tier__c DESC NULLS LAST, Name',
    v(
      'Initech',
      'Umbrella Corporation',
      'Wayne Enterprises',
      'Acme Corp',
      'Globex',
      'Stark Industries',
      'hooli',
      "O'Neil & Sons_50%",
    ),
  ],
  [
    'SELECT Name FROM Account ORDER BY Owner.Name, Name',
    v(
      'Acme Corp',
      "O'Neil & Sons_50%",
      'Stark Industries',
      'Umbrella Corporation',
      'Globex',
      'hooli',
      'Initech',
      'Wayne Enterprises',
    ),
  ],
  ['SELECT Name FROM Account ORDER BY CreatedDate DESC LIMIT 2', v('Stark Industries', 'Initech')],
  [
    'SELECT Name FROM Opportunity ORDER BY IsWon DESC, CloseDate',
    v(
      'Stark Armor',
      'Acme Anvils',
      'Wayne Tech',
      'Initech TPS',
      'Acme Rockets',
      'Stark Reactor',
      'Globex Platform',
      'Hooli Search',
    ),
  ],
  [
    'SELECT Name FROM Invoice__c ORDER BY Paid_At__c DESC NULLS LAST, Name LIMIT 3',
    v('INV-004', 'INV-001', 'INV-002'),
  ],
  [
    'SELECT Name FROM Account ORDER BY Rating, Name',
    v(
      "O'Neil & Sons_50%",
      'Umbrella Corporation',
      'Wayne Enterprises',
      'Acme Corp',
      'Stark Industries',
      'Globex',
      'hooli',
      'Initech',
    ),
  ],
  [
    'SELECT Name FROM Opportunity ORDER BY StageName DESC, Name LIMIT 3',
    v('Initech TPS', 'Acme Anvils', 'Stark Armor'),
  ],
  ['SELECT Name FROM Invoice__c ORDER BY Tags__c', error('INVALID_FIELD')],
  ['SELECT Name FROM Invoice__c ORDER BY Notes__c', error('INVALID_FIELD')],
];

const clauses: Row[] = [
  ["SELECT Name FROM Account WHERE Name = 'Globex' WITH SECURITY_ENFORCED", v('Globex')],
  ["SELECT Name FROM Account WHERE Name = 'Globex' WITH USER_MODE", v('Globex')],
  ["SELECT Name FROM Account WHERE Name = 'Globex' WITH SYSTEM_MODE", v('Globex')],
  ["SELECT Name FROM Account WHERE Name = 'Globex' LIMIT 1 FOR VIEW", v('Globex')],
  ["SELECT Name FROM Account WHERE Name = 'Globex' FOR UPDATE", error('MALFORMED_QUERY')],
  [
    "SELECT Name, toLabel(Rating) FROM Account WHERE Name = 'Globex'",
    { rows: [{ Name: 'Globex', Rating: 'Warm' }] },
  ],
  // FORMAT() as an en_US user in Los Angeles sees it.
  [
    "SELECT FORMAT(Amount), FORMAT(CloseDate) closes, FORMAT(CreatedDate) created, FORMAT(Probability) FROM Opportunity WHERE Name = 'Acme Anvils'",
    {
      rows: [
        { Amount: '$25,000.00', closes: '4/20/2024', created: '5/15/2024, 5:00 AM', Probability: '100%' },
      ],
    },
  ],
  [
    "SELECT Name, FORMAT(NumberOfEmployees) staff FROM Account WHERE Name = 'Stark Industries'",
    { rows: [{ Name: 'Stark Industries', staff: '12,000' }] },
  ],
  [
    'SELECT FORMAT(SUM(Amount)) total, FORMAT(MIN(CloseDate)), COUNT(Id) FROM Opportunity',
    { rows: [{ total: '$1,285,000.00', expr0: '12/15/2023', expr1: 8 }] },
  ],
  [
    "SELECT Name, FORMAT(Amount) FROM Opportunity WHERE Name = 'Stark Reactor'",
    { rows: [{ Name: 'Stark Reactor', Amount: null }] },
  ],
  [
    'SELECT Name FROM Account USING SCOPE mine ORDER BY Name',
    v('Acme Corp', "O'Neil & Sons_50%", 'Stark Industries', 'Umbrella Corporation'),
  ],
  ['SELECT Name FROM Account USING SCOPE everything WHERE Tier__c = 3', v('Initech')],
  ['SELECT Name FROM Account USING SCOPE team', error('MALFORMED_QUERY')],
  ['SELECT Name FROM Profile USING SCOPE mine', error('MALFORMED_QUERY')],
  ['SELECT COUNT() FROM Contact USING SCOPE mine', { count: 7 }],
  ['SELECT Name n FROM Account', error('MALFORMED_QUERY')],
];

const apis: Row[] = [
  ['SELECT Id FROM ApexClass', v(), 'tooling'],
  ['SELECT Id FROM ApexClass', v(), 'data'],
  ['SELECT Id FROM DebugLevel', v(), 'tooling'],
  ['SELECT Id FROM DebugLevel', error('INVALID_TYPE'), 'data'],
  ['SELECT Id FROM Account', error('INVALID_TYPE'), 'tooling'],
];

const errors: Row[] = [
  ['SELECT Nmae FROM Account', error('INVALID_FIELD')],
  ['SELECT Id FROM Foo', error('INVALID_TYPE')],
  ['SELECT Id FROM Invoice', error('INVALID_TYPE')],
  ["SELECT Id FROM Account WHERE Nmae = 'x'", error('INVALID_FIELD')],
  ['SELECT Id FROM Account ORDER BY Nmae', error('INVALID_FIELD')],
  ['SELCT Id FROM Account', error('MALFORMED_QUERY')],
  ['SELECT Id FROM Account WHERE', error('MALFORMED_QUERY')],
  ['SELECT Id, FROM Account', error('MALFORMED_QUERY')],
  ['SELECT FROM Account', error('MALFORMED_QUERY')],
  ['', error('MALFORMED_QUERY')],
  ["SELECT Id FROM Account WHERE AnnualRevenue = 'x'", error('INVALID_FIELD')],
  ['SELECT Id FROM Account WHERE Name = 5', error('INVALID_FIELD')],
  ['SELECT Id FROM Account WHERE Name = TODAY', error('INVALID_FIELD')],
  ["SELECT Id FROM Account WHERE CreatedDate = '2024-05-15'", error('INVALID_FIELD')],
  ['SELECT Id FROM Account WHERE CreatedDate = 2024-05-15', error('INVALID_FIELD')],
  ['SELECT Id FROM Opportunity WHERE CloseDate = 2024-05-15T00:00:00Z', error('INVALID_FIELD')],
  ["SELECT Id FROM Opportunity WHERE IsWon = 'true'", error('INVALID_FIELD')],
  ['SELECT Id FROM Account OFFSET 2001', error('NUMBER_OUTSIDE_VALID_RANGE')],
  ['SELECT Id, Name, Name FROM Account', error('MALFORMED_QUERY')],
  ['SELECT LastName, Account.Name, account.name FROM Contact', error('MALFORMED_QUERY')],
  [
    "SELECT Name, FIELDS(STANDARD) FROM Account WHERE Name = 'Globex'",
    { first: { Name: 'Globex', Industry: 'Technology' } },
  ],
  ['SELECT Id FROM Account WHERE Name = :name', error('MALFORMED_QUERY')],
  ['SELECT Id FROM Account WHERE AnnualRevenue > USD100', error('MALFORMED_QUERY')],
  ["SELECT Id FROM Account WHERE (Name = 'x'", error('MALFORMED_QUERY')],
  ["SELECT Id FROM Account WHERE Name = 'x')", error('MALFORMED_QUERY')],
  ['SELECT CALENDAR_YEAR(CreatedDate) FROM Account', error('MALFORMED_QUERY')],
  ['SELECT Id FROM Account WHERE CALENDAR_YEAR(Name) = 2024', error('MALFORMED_QUERY')],
  ['SELECT Id FROM Account WHERE IsDeleted = true', v()],
  ["SELECT Id FROM Invoice__c WHERE Notes__c = 'x'", error('INVALID_FIELD')],
  ['SELECT Tags__c, COUNT(Id) FROM Invoice__c GROUP BY Tags__c', error('INVALID_FIELD')],
];

const table: Row[] = [
  ...basics,
  ...like,
  ...logic,
  ...booleans,
  ...dates,
  ...multiPicklists,
  ...semiJoins,
  ...ids,
  ...relationships,
  ...children,
  ...aggregates,
  ...polymorphic,
  ...fieldsFunction,
  ...nullOrdering,
  ...clauses,
  ...apis,
  ...errors,
];

function withoutAttributes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAttributes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'attributes')
        .map(([key, inner]) => [key, withoutAttributes(inner)]),
    );
  }
  return value;
}

describe('SOQL conformance', () => {
  let org: ReturnType<typeof soqlOrg>;
  const refs = (text: string): string =>
    text.replace(/\{([a-z][\w-]*?)(15)?\}/g, (whole, ref: string, short: string | undefined) => {
      const id = org.refs.get(ref);
      if (!id) return whole;
      return short ? id.slice(0, 15) : id;
    });

  beforeAll(() => {
    org = soqlOrg();
  });

  it('has at least 150 queries', () => {
    expect(table.length).toBeGreaterThanOrEqual(150);
  });

  it.each(table)('%s', (soql, expected, api = 'data') => {
    const run = () => executeSoql(refs(soql), org, { api, apiVersion: 'v62.0' });
    if ('error' in expected) {
      let thrown: unknown;
      try {
        run();
      } catch (caught) {
        thrown = caught;
      }
      expect(thrown).toBeInstanceOf(SalesforceApiError);
      expect((thrown as SalesforceApiError).errorCode).toBe(expected.error);
      expect((thrown as SalesforceApiError).status).toBe(400);
      return;
    }
    const result = run();
    if ('count' in expected) {
      expect(result).toEqual({ totalSize: expected.count, records: [] });
      return;
    }
    expect(result.totalSize).toBe(result.records.length);
    if ('values' in expected) {
      const field = expected.field ?? 'Name';
      expect(result.records.map((record) => record[field])).toEqual(
        expected.values.map((value) => (typeof value === 'string' ? refs(value) : value)),
      );
    } else if ('rows' in expected) {
      expect(withoutAttributes(result.records)).toEqual(expected.rows);
    } else if ('first' in expected) {
      expect(result.records[0]).toMatchObject(expected.first);
    }
  });
});
