// test_lds_graphql_query and fetch_lds_graphql_schema through a real MCP client, against the local org's GraphQL API.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrgSeed } from '@sfmcp/local-org';
import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchLdsGraphqlSchema } from '../../src/tools/fetch_lds_graphql_schema.js';
import { testLdsGraphqlQuery } from '../../src/tools/test_lds_graphql_query.js';
import { cleanUp, filesUnder, makeProject } from '../helpers.js';

const plugin = definePlugin({
  toolset: 'lwc-experts',
  description: 'LDS GraphQL tools under test.',
  apiVersion,
  tools: [testLdsGraphqlQuery, fetchLdsGraphqlSchema],
});

function seed(organization: LocalOrgSeed['organization'] = {}): LocalOrgSeed {
  return {
    organization: { Name: 'GraphQL Tests', OrganizationType: 'Developer Edition', ...organization },
    records: {
      Account: [
        { '@ref': 'acme', Name: 'Acme', Industry: 'Manufacturing', AnnualRevenue: 5_000_000 },
        { Name: 'Apex Tools', Industry: 'Retail', AnnualRevenue: 200_000 },
        { Name: 'Atlas Freight', Industry: 'Shipping' },
        { Name: 'Aurora Health', Industry: 'Healthcare', AnnualRevenue: 900_000 },
        { Name: 'Azure Foods', Industry: 'Retail' },
        { Name: 'Globex', Industry: 'Energy' },
      ],
      Contact: [
        { FirstName: 'Ada', LastName: 'Lovelace', AccountId: '@acme' },
        { FirstName: 'Charles', LastName: 'Babbage', AccountId: '@acme' },
      ],
    },
  };
}

function start(options: { seed?: LocalOrgSeed; args?: string[]; project?: string } = {}) {
  const project = options.project ?? makeProject();
  return createLocalOrgTestServer({
    plugins: [plugin],
    seed: options.seed ?? seed(),
    args: ['--project-dir', project, ...(options.args ?? [])],
  });
}

function tokenOf(text: string): string {
  const match = /confirmationToken: "([^"]+)"/.exec(text);
  if (!match) throw new Error(`no confirmation token in:\n${text}`);
  return match[1] as string;
}

const accountsQuery = `query Accounts($after: String) {
  uiapi { query { Account(first: 2, after: $after, where: { Name: { like: "A%" } }, orderBy: { Name: { order: ASC } }) {
    edges { node { Id Name { value } Industry { value } Owner { Name { value } } } }
    totalCount pageInfo { hasNextPage endCursor } } } }
}`;

describe('test_lds_graphql_query', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server.close();
    cleanUp();
  });

  it('runs a query with where / orderBy / first, shows the records as a table, and pages with the cursor', async () => {
    const first = await server.call('test_lds_graphql_query', { query: accountsQuery });
    expect(first.isError).toBeFalsy();
    expect(first.text).toContain('GraphQL query Accounts on API v');
    expect(first.text).toContain('uiapi.query.Account — 2 records, totalCount 5, more: after "');
    expect(first.text).toContain('Id | Name | Industry | Owner.Name');
    expect(first.text).toMatch(
      /\n001\w+ \| Acme \| Manufacturing \| \S.+\n001\w+ \| Apex Tools \| Retail \|/,
    );
    const structured = first.structuredContent as {
      operation: string;
      connections: Array<{
        path: string;
        rows: number;
        totalCount: number;
        hasNextPage: boolean;
        endCursor: string;
      }>;
      data: {
        uiapi: { query: { Account: { edges: Array<{ node: { Owner: { Name: { value: string } } } }> } } };
      };
    };
    expect(structured.operation).toBe('query');
    expect(structured.connections).toEqual([
      expect.objectContaining({ path: 'uiapi.query.Account', rows: 2, totalCount: 5, hasNextPage: true }),
    ]);
    // A parent field, from the org's own record.
    const owner = [...server.org.state.records.rows('User')][0] as {
      Name?: string;
      FirstName?: string;
      LastName?: string;
    };
    expect(structured.data.uiapi.query.Account.edges[0]?.node.Owner.Name.value).toBe(owner.Name);

    const next = await server.call('test_lds_graphql_query', {
      query: accountsQuery,
      variables: { after: structured.connections[0]?.endCursor },
    });
    expect(next.isError).toBeFalsy();
    expect(next.text).toMatch(/\| Atlas Freight \| Shipping \|/);
    expect(next.text).toMatch(/\| Aurora Health \| Healthcare \|/);
    expect(next.text).not.toContain('| Acme |');
    // Variables may come as JSON text too.
    const last = await server.call('test_lds_graphql_query', {
      query: accountsQuery,
      variables: JSON.stringify({
        after: (next.structuredContent as typeof structured).connections[0]?.endCursor,
      }),
    });
    expect(last.text).toContain('uiapi.query.Account — 1 record, totalCount 5');
    expect(last.text).toMatch(/\| Azure Foods \| Retail \|/);
  });

  it('shows child relationships as counts and display values beside values', async () => {
    const result = await server.call('test_lds_graphql_query', {
      query:
        '{ uiapi { query { Account(where: { Name: { eq: "Acme" } }) { edges { node { Name { value } Contacts { edges { node { LastName { value } } } totalCount } } } } } } }',
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain('Acme | [2 of 2 records]');
  });

  it('reports a syntax error with its line and column, and sends nothing to the org', async () => {
    const seen: string[] = [];
    const stop = server.org.onQuery((query) => seen.push(query.text));
    const result = await server.call('test_lds_graphql_query', {
      query: 'query {\n  uiapi { query { Account(first: 2 { edges { node { Id } } } } }\n}',
    });
    stop();
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^GraphQL syntax error at line 2, column 36: Expected Name, found "{"\./);
    expect(result.text).toContain('\n  uiapi { query { Account(first: 2 { edges');
    expect(result.text).toContain('nothing was sent to the org');
    expect(seen).toEqual([]);
  });

  it('keeps a syntax error short when the offending token is huge', async () => {
    const result = await server.call('test_lds_graphql_query', { query: 'x'.repeat(70_000) });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^GraphQL syntax error at line 1, column 1: Unexpected Name "x+…/);
    expect(result.text.length).toBeLessThan(800);
  });

  it("reports the org's errors with their locations (an unknown field)", async () => {
    const result = await server.call('test_lds_graphql_query', {
      query: '{ uiapi { query { Account { edges { node {\n  Id\n  Revenue__c { value } } } } } } }',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /^The org answered the GraphQL query with 1 error and no data:\n- Cannot query field "Revenue__c" on type "Account"\..* \(line 3, column 3\)/,
    );
  });

  it('keeps partial data next to the errors of the fields that failed', async () => {
    const result = await server.call('test_lds_graphql_query', {
      query:
        '{ uiapi { query { good: Account(first: 1) { totalCount } bad: Contact(after: "bm9wZQ==") { totalCount } } } }',
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain('1 error.');
    expect(result.text).toMatch(
      /- INVALID_INPUT: Invalid cursor: bm9wZQ== \(line 1, column \d+\) at uiapi\.query\.bad/,
    );
    expect(result.text).toContain('uiapi.query.good.totalCount: 6');
    expect((result.structuredContent as { errors: unknown[] }).errors).toEqual([
      expect.objectContaining({ path: 'uiapi.query.bad', line: 1 }),
    ]);
  });

  it('chooses the operation by name or kind, and says which it needs', async () => {
    const two =
      'query A { uiapi { query { Account(first: 1) { totalCount } } } }\nquery B { uiapi { query { Contact(first: 1) { totalCount } } } }';
    const unnamed = await server.call('test_lds_graphql_query', { query: two });
    expect(unnamed.isError).toBe(true);
    expect(unnamed.text).toContain('The GraphQL document has 2 operations: say which one to run.');
    expect(unnamed.text).toContain('A, B');
    const byName = await server.call('test_lds_graphql_query', { query: two, operation: 'B' });
    expect(byName.text).toContain('uiapi.query.Contact.totalCount: 2');
    const byKind = await server.call('test_lds_graphql_query', {
      query: '{ uiapi { query { Account(first: 1) { totalCount } } } }',
      operation: 'query',
    });
    expect(byKind.text).toContain('uiapi.query.Account.totalCount: 6');
    const unknown = await server.call('test_lds_graphql_query', { query: two, operation: 'C' });
    expect(unknown.text).toMatch(/no operation named C[\s\S]*A, B/);
    const old = await server.call('test_lds_graphql_query', {
      query: two,
      operation: 'A',
      apiVersion: '50.0',
    });
    expect(old.text).toMatch(/needs API v56\.0 or later/);
  });

  it('previews a mutation and runs it only with the approval token', async () => {
    const create = `mutation NewAccount { uiapi { AccountCreate(input: { Account: { Name: "GraphQL Made" } }) { Record { Id Name { value } } } } }`;
    const preview = await server.call('test_lds_graphql_query', { query: create });
    expect(preview.isError).toBeFalsy();
    expect(preview.text).toContain('Confirmation needed — nothing has been changed yet.');
    expect(preview.text).toContain('Run a GraphQL mutation (AccountCreate) on local-test');
    const made = () =>
      [...server.org.state.records.rows('Account')].filter((row) => row.Name === 'GraphQL Made');
    expect(made()).toHaveLength(0);

    const done = await server.call('test_lds_graphql_query', {
      query: create,
      confirmationToken: tokenOf(preview.text),
    });
    expect(done.isError).toBeFalsy();
    expect(made()).toHaveLength(1);
    expect(done.text).toContain(`uiapi.AccountCreate.Record.Id: ${made()[0]?.Id}`);
    expect(done.text).toContain('uiapi.AccountCreate.Record.Name: GraphQL Made');

    // A mutation the org rejects: its errors, and nothing changed.
    const bad = `mutation { uiapi { AccountCreate(input: { Account: { Industry: "Retail" } }) { Record { Id } } } }`;
    const badPreview = await server.call('test_lds_graphql_query', { query: bad });
    const rejected = await server.call('test_lds_graphql_query', {
      query: bad,
      confirmationToken: tokenOf(badPreview.text),
    });
    expect(rejected.isError).toBe(true);
    expect(rejected.text).toMatch(/REQUIRED_FIELD_MISSING: Required fields are missing: \[Name\]/);
    expect(rejected.text).toContain('Nothing was changed.');
  });
});

describe('test_lds_graphql_query with large or hostile input', () => {
  it('keeps a large answer within the response budget and says what it left out', async () => {
    const many = seed();
    many.records = {
      Account: Array.from({ length: 1500 }, (_, index) => ({
        Name: `Bulk Account ${String(index).padStart(4, '0')}`,
        Industry: 'Retail',
        Description: 'x'.repeat(60),
      })),
    };
    const server = await start({ seed: many });
    try {
      const result = await server.call('test_lds_graphql_query', {
        query:
          '{ uiapi { query { Account(first: 2000, orderBy: { Name: { order: ASC } }) { edges { node { Id Name { value } Industry { value } Description { value } } } totalCount } } } }',
      });
      expect(result.isError).toBeFalsy();
      expect(
        Buffer.byteLength(result.text) + Buffer.byteLength(JSON.stringify(result.structuredContent)),
      ).toBeLessThan(60_000);
      expect(result.text).toContain('uiapi.query.Account — 1500 records, totalCount 1500');
      expect(result.text).toContain('| Bulk Account 0000 | Retail |');
      expect(result.text).toMatch(
        /\(\d+ more rows not shown: too long for this answer; ask for fewer records or fields\)/,
      );
      expect(result.text).toContain('The full data is too long for this answer');
      const structured = result.structuredContent as { data?: unknown; connections: Array<{ rows: number }> };
      expect(structured.data).toBeUndefined();
      expect(structured.connections[0]?.rows).toBe(1500);
    } finally {
      await server.close();
    }
  });

  it('refuses a document too large to parse, variables that are not an object, and subscriptions', async () => {
    const server = await start();
    try {
      const huge = await server.call('test_lds_graphql_query', { query: `{ ${'a '.repeat(30_000)} }` });
      expect(huge.isError).toBe(true);
      expect(huge.text).toMatch(/^The GraphQL document is too large: more than 20000 tokens\./);
      const list = await server.call('test_lds_graphql_query', {
        query: '{ __typename }',
        variables: '[1, 2]',
      });
      expect(list.text).toContain('variables must be a JSON object.');
      const broken = await server.call('test_lds_graphql_query', {
        query: '{ __typename }',
        variables: '{"a": ',
      });
      expect(broken.text).toContain('variables is not valid JSON.');
      const subscription = await server.call('test_lds_graphql_query', { query: 'subscription { x }' });
      expect(subscription.text).toContain("Salesforce's GraphQL API has no subscriptions.");
      const fragmentsOnly = await server.call('test_lds_graphql_query', {
        query: 'fragment F on Account { Id }',
      });
      expect(fragmentsOnly.text).toContain('has no operation (only fragments)');
    } finally {
      await server.close();
    }
  });
});

describe('test_lds_graphql_query on a production org', () => {
  const production = seed({ OrganizationType: 'Enterprise Edition', IsSandbox: false });

  it('refuses a mutation without --allow-production-writes, and changes nothing; a query reads production', async () => {
    const server = await start({ seed: production });
    try {
      const result = await server.call('test_lds_graphql_query', {
        query: 'mutation { uiapi { AccountDelete(input: { Id: "001000000000000AAA" }) { Id } } }',
      });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^Refused: local-test \(.+\) is a production org/);
      // Each call says whether it changes the org: a query is not a change, and may read production.
      const query = await server.call('test_lds_graphql_query', {
        query: '{ uiapi { query { Account { totalCount } } } }',
      });
      expect(query.isError, query.text).toBeFalsy();
      expect(query.text).toMatch(/\b6\b/);
      expect([...server.org.state.records.rows('Account')]).toHaveLength(6);
    } finally {
      await server.close();
    }
  });

  it('runs a mutation on production with --allow-production-writes, after approval', async () => {
    const server = await start({ seed: production, args: ['--allow-production-writes'] });
    try {
      const acme = [...server.org.state.records.rows('Account')].find((row) => row.Name === 'Acme') as {
        Id: string;
      };
      const args = {
        query: `mutation Rename($id: ID!) { uiapi { AccountUpdate(input: { Id: $id, Account: { Name: "Acme 2" } }) { success } } }`,
        variables: { id: acme.Id },
      };
      const preview = await server.call('test_lds_graphql_query', args);
      expect(preview.text).toContain('Run a GraphQL mutation (AccountUpdate)');
      const done = await server.call('test_lds_graphql_query', {
        ...args,
        confirmationToken: tokenOf(preview.text),
      });
      expect(done.text).toContain('uiapi.AccountUpdate.success: true');
      expect(server.org.state.records.get(acme.Id)?.Name).toBe('Acme 2');
    } finally {
      await server.close();
    }
  });
});

describe('fetch_lds_graphql_schema', () => {
  let server: LocalOrgTestServer;
  let project: string;
  beforeAll(async () => {
    project = makeProject();
    server = await start({ project });
  });
  afterAll(async () => {
    await server.close();
    cleanUp();
  });

  it('writes the schema as SDL that buildSchema reads, and returns a summary, not the schema', async () => {
    const result = await server.call('fetch_lds_graphql_schema', {});
    expect(result.isError).toBeFalsy();
    expect(result.text).toMatch(
      /Wrote the GraphQL schema \(API v\d+\.0\) to schema\.graphql: [\d,]+ lines, [\d,]+ KB; \d+ types, \d+ record objects under uiapi\.query\./,
    );
    expect(result.text.length).toBeLessThan(600);
    const sdl = readFileSync(join(project, 'schema.graphql'), 'utf8');
    const schema = buildSchema(sdl);
    expect(schema.getType('Account')).toBeDefined();
    expect(schema.getType('Account_Filter')).toBeDefined();
    const structured = result.structuredContent as {
      path: string;
      objects: number;
      types: number;
      bytes: number;
    };
    expect(structured.path).toBe('schema.graphql');
    expect(structured.bytes).toBe(Buffer.byteLength(sdl));
    expect(structured.objects).toBe(
      Object.keys((schema.getType('RecordQuery') as { getFields(): object }).getFields()).length,
    );

    // Again, to a folder of its own: the file is replaced, nothing else appears.
    const again = await server.call('fetch_lds_graphql_schema', { outputPath: 'graphql/org.graphql' });
    expect(again.isError).toBeFalsy();
    const overwrite = await server.call('fetch_lds_graphql_schema', { outputPath: 'graphql/org.graphql' });
    expect(overwrite.isError).toBeFalsy();
    expect(filesUnder(project)).toEqual(['graphql/org.graphql', 'schema.graphql', 'sfdx-project.json']);
  });

  it('refuses paths outside the project and files that are not schema files, writing nothing', async () => {
    const before = filesUnder(project);
    const outside = await server.call('fetch_lds_graphql_schema', { outputPath: '../../x' });
    expect(outside.isError).toBe(true);
    expect(outside.text).toMatch(/outside|Refused/i);
    const source = await server.call('fetch_lds_graphql_schema', {
      outputPath: 'force-app/main/default/classes/Foo.cls',
    });
    expect(source.isError).toBe(true);
    expect(source.text).toContain('is not a GraphQL schema file name');
    expect(filesUnder(project)).toEqual(before);
    expect(existsSync(join(project, '..', '..', 'x'))).toBe(false);
  });
});
