// The GraphQL API (UI API), over HTTP: record queries run by the SOQL engine, mutations by the REST write path.
import {
  buildClientSchema,
  getIntrospectionQuery,
  printSchema,
  buildSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlSchema } from '../src/rest/graphql/index.js';
import { demoSeed } from '../src/seed/index.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { buildCustomField } from '../src/state/index.js';

let org: LocalOrg;
const today = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  org = await startLocalOrg({ seed: demoSeed({ today }), now: () => today });
});

afterAll(async () => {
  await org?.stop();
});

/** Answers are walked by path in these tests: JSON as JSON.parse gives it. */
type Json = ReturnType<typeof JSON.parse>;

interface Answer {
  data: Json;
  errors?: Array<{
    message: string;
    locations?: Array<{ line: number; column: number }>;
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

async function post(body: unknown, version = '62.0', method = 'POST') {
  const response = await fetch(`${org.instanceUrl}/services/data/v${version}/graphql`, {
    method,
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Answer };
}

async function gql(query: string, variables?: Record<string, unknown>) {
  const { status, body } = await post({ query, ...(variables ? { variables } : {}) });
  expect(status).toBe(200);
  return body;
}

async function soql(query: string) {
  const response = await fetch(
    `${org.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(query)}`,
    { headers: { authorization: `Bearer ${org.accessToken}` } },
  );
  return (await response.json()) as { totalSize: number; records: Array<Record<string, Json>> };
}

const names = (answer: Answer) =>
  (answer.data.uiapi.query.Account.edges as Array<{ node: { Name: { value: string } } }>).map(
    (edge) => edge.node.Name.value,
  );

describe('record queries', () => {
  it('filters, orders and pages as the same SOQL query does', async () => {
    const expected = await soql("SELECT Name FROM Account WHERE Name LIKE '%a%' ORDER BY Name DESC");
    const page = (after?: string) =>
      gql(
        `query Page($after: String) { uiapi { query { Account(first: 4, after: $after, where: { Name: { like: "%a%" } }, orderBy: { Name: { order: DESC } }) {
          edges { cursor node { Id Name { value } } } totalCount pageResultCount pageInfo { hasNextPage hasPreviousPage endCursor } } } } }`,
        after ? { after } : {},
      );
    const first = await page();
    expect(first.errors).toBeUndefined();
    const connection = first.data.uiapi.query.Account;
    expect(connection.totalCount).toBe(expected.totalSize);
    expect(connection.pageResultCount).toBe(4);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(names(first)).toEqual(expected.records.slice(0, 4).map((record) => record.Name));
    const second = await page(connection.pageInfo.endCursor);
    expect(names(second)).toEqual(expected.records.slice(4, 8).map((record) => record.Name));
    expect(second.data.uiapi.query.Account.pageInfo.hasPreviousPage).toBe(true);
    // Walk to the end: every row once, and the last page says so.
    const seen = [...names(first), ...names(second)];
    let cursor = second.data.uiapi.query.Account.pageInfo.endCursor as string;
    for (;;) {
      const next = await page(cursor);
      seen.push(...names(next));
      const info = next.data.uiapi.query.Account.pageInfo;
      if (!info.hasNextPage) break;
      cursor = info.endCursor;
    }
    expect(seen).toEqual(expected.records.map((record) => record.Name));
  });

  it('orders by several fields in the order the query writes them, and by parent fields', async () => {
    const answer =
      await gql(`{ uiapi { query { Account(first: 2000, orderBy: { Industry: { order: ASC, nulls: LAST }, Name: { order: DESC } }) {
      edges { node { Name { value } } } } } } }`);
    const expected = await soql('SELECT Name FROM Account ORDER BY Industry ASC NULLS LAST, Name DESC');
    expect(names(answer)).toEqual(expected.records.map((record) => record.Name));
    const byParent =
      await gql(`{ uiapi { query { Contact(first: 2000, orderBy: { Account: { Name: { order: DESC } }, LastName: { order: ASC } }) {
      edges { node { LastName { value } } } } } } }`);
    const contacts = await soql('SELECT LastName FROM Contact ORDER BY Account.Name DESC, LastName ASC');
    expect(byParent.data.uiapi.query.Contact.edges.map((edge: Json) => edge.node.LastName.value)).toEqual(
      contacts.records.map((record) => record.LastName),
    );
  });

  it('returns ten records by default and refuses first outside 0..2000', async () => {
    const answer = await gql('{ uiapi { query { Account { edges { node { Id } } } } } }');
    expect(answer.data.uiapi.query.Account.edges).toHaveLength(10);
    const tooMany = await gql('{ uiapi { query { Account(first: 2001) { edges { node { Id } } } } } }');
    expect(tooMany.errors?.[0]?.message).toMatch(/first must be between 0 and 2000/);
    expect(tooMany.errors?.[0]?.path).toEqual(['uiapi', 'query', 'Account']);
  });

  it('renders fields as value objects, parents as nodes and children as connections', async () => {
    const answer =
      await gql(`{ uiapi { query { Opportunity(first: 1, where: { Account: { Name: { like: "%" } } }, orderBy: { Amount: { order: DESC, nulls: LAST } }) {
      edges { node { Id ApiName Name { value } Amount { value } StageName { value displayValue label } CloseDate { value }
        Account { Id Name { value } Owner { Name { value } } } } } } } } }`);
    expect(answer.errors).toBeUndefined();
    const node = answer.data.uiapi.query.Opportunity.edges[0].node;
    const expected = (
      await soql(
        "SELECT Id, Name, Amount, StageName, CloseDate, Account.Id, Account.Name, Account.Owner.Name FROM Opportunity WHERE Account.Name LIKE '%' ORDER BY Amount DESC NULLS LAST LIMIT 1",
      )
    ).records[0] as Record<string, Json>;
    expect(node).toEqual({
      Id: expected.Id,
      ApiName: 'Opportunity',
      Name: { value: expected.Name },
      Amount: { value: expected.Amount },
      StageName: { value: expected.StageName, displayValue: expected.StageName, label: expected.StageName },
      CloseDate: { value: expected.CloseDate },
      Account: {
        Id: expected.Account.Id,
        Name: { value: expected.Account.Name },
        Owner: { Name: { value: expected.Account.Owner.Name } },
      },
    });

    const withChildren =
      await gql(`{ uiapi { query { Account(first: 2, orderBy: { Name: { order: ASC } }) { edges { node { Id
      Contacts(first: 1, orderBy: { LastName: { order: ASC } }) { edges { node { LastName { value } } } totalCount } } } } } } }`);
    for (const edge of withChildren.data.uiapi.query.Account.edges) {
      const contacts = await soql(
        `SELECT LastName FROM Contact WHERE AccountId = '${edge.node.Id}' ORDER BY LastName ASC`,
      );
      expect(edge.node.Contacts.totalCount).toBe(contacts.totalSize);
      expect(edge.node.Contacts.edges.map((child: Json) => child.node.LastName.value)).toEqual(
        contacts.records.slice(0, 1).map((record) => record.LastName),
      );
    }
  });

  it('combines and / or / not, in / nin, dates and booleans like the SOQL they stand for', async () => {
    const cases: Array<[string, string]> = [
      [
        '{ or: [{ Industry: { eq: "Technology" } }, { Industry: { in: ["Retail", "Healthcare"] } }] }',
        "Industry = 'Technology' OR Industry IN ('Retail', 'Healthcare')",
      ],
      [
        '{ not: { Name: { like: "A%" } }, AnnualRevenue: { gt: 1000000, lte: 900000000 } }',
        "(NOT Name LIKE 'A%') AND AnnualRevenue > 1000000 AND AnnualRevenue <= 900000000",
      ],
      [
        '{ and: [{ Industry: { nin: ["Retail"] } }, { Industry: { ne: null } }] }',
        "Industry NOT IN ('Retail') AND Industry != null",
      ],
      ['{ CreatedDate: { lte: { literal: TODAY } } }', 'CreatedDate <= TODAY'],
      ['{ CreatedDate: { gt: { value: "2000-01-01T00:00:00Z" } } }', 'CreatedDate > 2000-01-01T00:00:00Z'],
    ];
    for (const [where, condition] of cases) {
      const answer = await gql(`{ uiapi { query { Account(where: ${where}) { totalCount } } } }`);
      expect(answer.errors, where).toBeUndefined();
      const expected = await soql(`SELECT Id FROM Account WHERE ${condition}`);
      expect(answer.data.uiapi.query.Account.totalCount, where).toBe(expected.totalSize);
    }
    const closed = await gql(
      '{ uiapi { query { Opportunity(where: { IsClosed: { eq: true } }) { totalCount } } } }',
    );
    expect(closed.data.uiapi.query.Opportunity.totalCount).toBe(
      (await soql('SELECT Id FROM Opportunity WHERE IsClosed = true')).totalSize,
    );
  });

  it('treats every value as a literal: quotes and backslashes cannot change the query', async () => {
    const hostile = ["x' OR Name != '", "x\\' OR Name != \\'", "%' OR Id != null OR Name LIKE '"];
    for (const value of hostile) {
      const answer = await gql(
        'query ($name: String) { uiapi { query { Account(where: { Name: { eq: $name } }) { totalCount } } } }',
        {
          name: value,
        },
      );
      expect(answer.errors, value).toBeUndefined();
      expect(answer.data.uiapi.query.Account.totalCount, value).toBe(0);
    }
    const quoted = await gql(
      '{ uiapi { query { User(where: { Name: { like: "%\'%" } }) { totalCount } } } }',
    );
    expect(quoted.data.uiapi.query.User.totalCount).toBe(
      (await soql("SELECT Id FROM User WHERE Name LIKE '%\\'%'")).totalSize,
    );
  });

  it('reports bad documents in GraphQL shape, with locations, and HTTP 200', async () => {
    const syntax = await gql('{ uiapi { query { Account(first: 2) { edges { node { Id } } }');
    expect(syntax.data).toBeNull();
    expect(syntax.errors?.[0]?.message).toMatch(/^Syntax Error/);
    expect(syntax.errors?.[0]?.locations?.[0]).toEqual({ line: 1, column: 62 });

    const unknown = await gql(
      '{ uiapi { query { Account { edges { node { Id\n  NoSuchField__c { value } } } } } } }',
    );
    expect(unknown.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Cannot query field "NoSuchField__c" on type "Account"'),
      locations: [{ line: 2, column: 3 }],
    });

    const cursor = await gql('{ uiapi { query { Account(after: "bm9wZQ==") { edges { node { Id } } } } } }');
    expect(cursor.data.uiapi.query.Account).toBeNull();
    expect(cursor.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Invalid cursor/),
      path: ['uiapi', 'query', 'Account'],
      extensions: { errorCode: 'INVALID_INPUT' },
    });

    const badVariable = await gql(
      'query ($n: Int) { uiapi { query { Account(first: $n) { totalCount } } } }',
      {
        n: 'ten',
      },
    );
    expect(badVariable.errors?.[0]?.message).toMatch(/Variable "\$n" got invalid value "ten"/);
  });

  it('refuses what is not a GraphQL request', async () => {
    expect((await post('not json')).status).toBe(400);
    expect((await post({ variables: {} })).status).toBe(400);
    expect((await post(undefined, '62.0', 'GET')).status).toBe(405);
    expect((await post({ query: '{ __typename }' }, '50.0')).status).toBe(404);
    const huge = await post({ query: `{ ${'__typename '.repeat(30_000)} }` });
    expect(huge.body.errors?.[0]?.message).toMatch(/tokens/);
  });
});

describe('introspection and the schema', () => {
  it('answers the introspection query with a schema clients can rebuild', async () => {
    const answer = await gql(getIntrospectionQuery());
    expect(answer.errors).toBeUndefined();
    const sdl = printSchema(buildClientSchema(answer.data as IntrospectionQuery));
    const schema = buildSchema(sdl);
    expect(schema.getType('Account')).toBeDefined();
    expect(schema.getType('Account_Filter')).toBeDefined();
    expect(sdl).toMatch(/AccountCreate\(input: AccountCreateInput!\): AccountCreatePayload/);
  });

  it('is built once per version of the metadata', async () => {
    const before = graphqlSchema(org.state);
    expect(graphqlSchema(org.state)).toBe(before);
    org.state.schema.upsertField(
      'Account',
      buildCustomField({ name: 'Tier__c', type: 'string', length: 20, label: 'Tier' }),
    );
    const after = graphqlSchema(org.state);
    expect(after).not.toBe(before);
    const answer = await gql(
      '{ uiapi { query { Account(first: 1) { edges { node { Tier__c { value } } } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.uiapi.query.Account.edges[0].node.Tier__c).toEqual({ value: null });
  });
});

describe('mutations', () => {
  it('creates, updates and deletes through the REST write path', async () => {
    const created =
      await gql(`mutation { uiapi { AccountCreate(input: { Account: { Name: "GraphQL Co", Industry: "Retail", AnnualRevenue: 1200 } }) {
      Record { Id Name { value } Industry { value } AnnualRevenue { value } Owner { Name { value } } } } } }`);
    expect(created.errors).toBeUndefined();
    const record = created.data.uiapi.AccountCreate.Record;
    expect(record).toMatchObject({
      Name: { value: 'GraphQL Co' },
      Industry: { value: 'Retail' },
      AnnualRevenue: { value: 1200 },
    });
    const stored = (await soql(`SELECT Name, Owner.Name FROM Account WHERE Id = '${record.Id}'`)).records[0];
    expect(record.Owner.Name.value).toBe(stored?.Owner.Name);

    const updated = await gql(
      `mutation ($input: AccountUpdateInput!) { uiapi { AccountUpdate(input: $input) { success Record { Name { value } } } } }`,
      { input: { Id: record.Id, Account: { Name: 'GraphQL Co 2' } } },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data.uiapi.AccountUpdate).toEqual({
      success: true,
      Record: { Name: { value: 'GraphQL Co 2' } },
    });

    const deleted = await gql(`mutation { uiapi { AccountDelete(input: { Id: "${record.Id}" }) { Id } } }`);
    expect(deleted.data.uiapi.AccountDelete.Id).toBe(record.Id);
    expect((await soql(`SELECT Id FROM Account WHERE Id = '${record.Id}'`)).totalSize).toBe(0);
  });

  it('reports the REST errors, and rolls back every operation unless allOrNone is false', async () => {
    const count = async () => (await soql("SELECT Id FROM Account WHERE Name LIKE 'Batch %'")).totalSize;
    const before = await count();
    const both = (allOrNone: boolean) =>
      gql(`mutation { uiapi(input: { allOrNone: ${allOrNone} }) {
        good: AccountCreate(input: { Account: { Name: "Batch ${allOrNone}" } }) { Record { Id } }
        bad: AccountCreate(input: { Account: { Industry: "Retail" } }) { Record { Id } } } }`);
    const atomic = await both(true);
    expect(atomic.data).toBeNull();
    expect(atomic.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Required fields are missing: \[Name\]/),
      path: ['uiapi', 'bad'],
      extensions: { errorCode: 'REQUIRED_FIELD_MISSING' },
    });
    expect(atomic.errors?.at(-1)?.message).toMatch(/rolled back/);
    expect(await count()).toBe(before);

    const partial = await both(false);
    expect(partial.data.uiapi.good.Record.Id).toMatch(/^001/);
    expect(partial.data.uiapi.bad).toBeNull();
    expect(await count()).toBe(before + 1);
  });

  it('refuses to delete an id of another object', async () => {
    const contact = (await soql('SELECT Id FROM Contact LIMIT 1')).records[0] as { Id: string };
    const answer = await gql(`mutation { uiapi { AccountDelete(input: { Id: "${contact.Id}" }) { Id } } }`);
    expect(answer.errors?.[0]?.extensions?.errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    expect((await soql(`SELECT Id FROM Contact WHERE Id = '${contact.Id}'`)).totalSize).toBe(1);
  });
});
