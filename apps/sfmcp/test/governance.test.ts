import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalOrg, startLocalOrg } from '@sfmcp/local-org';
import dataPlugin from '@sfmcp/data';
import orgsPlugin from '@sfmcp/orgs';
import { type TestServer, authorizeOrgs, createTestServer, makeDxProject } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
// Asynchronous: the local orgs answer from this process, which must stay free to answer them.
const sfmcp = (args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, HOME: homedir() } },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

// Two local orgs that say what they are through their Organization record: a scratch org and production.
let scratch: LocalOrg;
let production: LocalOrg;
let project: string;

const seed = (who: string, organization: Record<string, unknown>) => ({
  organization,
  users: [{ '@ref': 'admin', FirstName: 'Admin', LastName: who, Username: `admin@${who}.sfmcp.test` }],
  records: {
    Account: Array.from({ length: 8 }, (_, index) => ({
      Name: `${who} Account ${index}`,
      Phone: '555-0100',
    })),
    Contact: [{ LastName: `${who} Contact` }],
  },
});

const policy = {
  $schema: 'https://unpkg.com/@sfmcp/server/policy.schema.json',
  orgs: [
    { name: 'scratch orgs are for building', match: { kind: 'scratch' }, writes: true },
    {
      name: 'production is read-only',
      match: { kind: 'production' },
      writes: false,
      maxQueryRows: 5,
      objects: { noRead: ['Contact'] },
      fields: { noRead: ['Account.Phone'] },
      tools: { deny: ['search_records'] },
    },
  ],
  default: { writes: false },
};

function writePolicy(name: string, text: string): string {
  const file = join(project, name);
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  scratch = await startLocalOrg({
    seed: seed('scratchy', {
      OrganizationType: 'Developer Edition',
      IsSandbox: false,
      TrialExpirationDate: '2027-01-01T00:00:00.000Z',
    }),
  });
  production = await startLocalOrg({
    seed: seed('prod', {
      OrganizationType: 'Enterprise Edition',
      IsSandbox: false,
      TrialExpirationDate: null,
    }),
  });
  await authorizeOrgs({
    orgs: [scratch, production].map((org, index) => ({
      username: org.username,
      alias: index === 0 ? 'scratch' : 'prod',
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      orgId: org.orgId,
    })),
  });
  project = await makeDxProject(mkdtempSync(join(tmpdir(), 'sfmcp-governance-')));
});
afterAll(async () => {
  await scratch?.stop();
  await production?.stop();
});

async function serve(extra: string[]): Promise<TestServer> {
  return createTestServer({
    plugins: [dataPlugin, orgsPlugin],
    args: ['--orgs', 'scratch,prod', '--project-dir', project, ...extra],
  });
}

describe('a policy per org', () => {
  let server: TestServer;
  let audit: string;
  beforeAll(async () => {
    const file = writePolicy('sfmcp.policy.json', JSON.stringify(policy, null, 2));
    audit = join(project, 'audit.jsonl');
    // Production writes are allowed by the flag: what refuses them below is the policy.
    server = await serve(['--policy', file, '--audit-log', audit, '--allow-production-writes']);
  });
  afterAll(async () => server?.close());

  it('allows writes on the scratch org and refuses them on production, naming the rule', async () => {
    const created = await server.call('create_records', {
      sobject: 'Account',
      records: [{ Name: 'Built in scratch' }],
      usernameOrAlias: 'scratch',
    });
    expect(created.isError, created.text).toBeFalsy();
    expect([...scratch.state.records.rows('Account')].some((row) => row.Name === 'Built in scratch')).toBe(
      true,
    );

    const before = [...production.state.records.rows('Account')].length;
    const refused = await server.call('create_records', {
      sobject: 'Account',
      records: [{ Name: 'Not in production' }],
      usernameOrAlias: 'prod',
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(
      /^Refused by policy rule orgs\[1\] "production is read-only" \(.*sfmcp\.policy\.json:\d+\): "writes": false/,
    );
    expect([...production.state.records.rows('Account')]).toHaveLength(before);
  });

  it('refuses a denied tool, an object and a field that may not be read, and too many rows', async () => {
    const denied = await server.call('search_records', { searchTerm: 'prod', usernameOrAlias: 'prod' });
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(/Refused by policy rule orgs\[1\] "production is read-only".*search_records/);

    const contacts = await server.call('run_soql_query', {
      query: 'SELECT LastName FROM Contact',
      usernameOrAlias: 'prod',
    });
    expect(contacts.isError).toBe(true);
    expect(contacts.text).toMatch(/Refused by policy rule orgs\[1\].*Contact/);

    const phone = await server.call('run_soql_query', {
      query: 'SELECT Name, Phone FROM Account LIMIT 2',
      usernameOrAlias: 'prod',
    });
    expect(phone.isError).toBe(true);
    expect(phone.text).toMatch(/Refused by policy rule orgs\[1\].*Account\.Phone/);

    const rows = await server.call('run_soql_query', {
      query: 'SELECT Name FROM Account',
      usernameOrAlias: 'prod',
    });
    expect(rows.isError).toBe(true);
    expect(rows.text).toMatch(/"maxQueryRows": 5/);

    const allowed = await server.call('run_soql_query', {
      query: 'SELECT Name FROM Account LIMIT 5',
      usernameOrAlias: 'prod',
    });
    expect(allowed.isError, allowed.text).toBeFalsy();
    // The same queries on the scratch org are not the production rule's business.
    const onScratch = await server.call('run_soql_query', {
      query: 'SELECT Name, Phone FROM Contact',
      usernameOrAlias: 'scratch',
    });
    expect(onScratch.isError, onScratch.text).toBeFalsy();
  });

  it('writes every call that reached an org to the audit file, without a token', async () => {
    const lines = readFileSync(audit, 'utf8').trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // The calls of the two tests above, in order.
    expect(entries.map((entry) => `${entry.tool} ${entry.outcome}`)).toEqual([
      'create_records ok',
      'create_records refused',
      'search_records refused',
      'run_soql_query refused',
      'run_soql_query refused',
      'run_soql_query refused',
      'run_soql_query ok',
      'run_soql_query ok',
    ]);
    const first = entries[0]!;
    expect(first).toMatchObject({
      orgs: [scratch.username],
      user: scratch.username,
      arguments: { sobject: 'Account', records: [{ Name: 'Built in scratch' }], usernameOrAlias: 'scratch' },
      records: { read: 0, written: 1 },
    });
    expect(typeof first.session).toBe('string');
    expect(typeof first.durationMs).toBe('number');
    expect(entries[1]!.message).toMatch(/production is read-only/);
    expect(entries.at(-2)).toMatchObject({ records: { read: 5, written: 0 } });
    const text = readFileSync(audit, 'utf8');
    for (const org of [scratch, production]) expect(text).not.toContain(org.accessToken);
    expect(text).not.toMatch(/00D[a-zA-Z0-9]{12,15}!/);
  });

  it('prints the audit file as a table filtered by tool, org and outcome, or as JSON lines', async () => {
    const table = await sfmcp(['audit', '--audit-log', audit, '--org', 'prod', '--outcome', 'refused']);
    expect(table.status, table.stderr).toBe(0);
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^TIME\s+TOOL\s+ORG\s+OUTCOME/);
    expect(rows.slice(1, -1)).toHaveLength(5);
    expect(
      rows.slice(1, -1).every((row) => row.includes(production.username) && row.includes('refused')),
    ).toBe(true);
    expect(rows.at(-1)).toMatch(/^5 calls/);
    const json = await sfmcp([
      'audit',
      '--audit-log',
      audit,
      '--tool',
      'create_records',
      '--since',
      '1h',
      '--json',
    ]);
    expect(json.status, json.stderr).toBe(0);
    expect(
      json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).outcome),
    ).toEqual(['ok', 'refused']);
    const future = await sfmcp(['audit', '--audit-log', audit, '--since', '2999-01-01']);
    expect(future.stdout).toMatch(/No audited calls match/);
  });

  it('says clearly when the audit file is missing or a filter is wrong', async () => {
    const missing = await sfmcp(['audit', '--audit-log', join(project, 'nowhere.jsonl')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no audit file at .*nowhere\.jsonl/);
    const wrong = await sfmcp(['audit', '--audit-log', audit, '--outcome', 'maybe']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/--outcome maybe: one of ok, error, refused/);
    const time = await sfmcp(['audit', '--audit-log', audit, '--since', 'yesterday-ish']);
    expect(time.status).toBe(2);
    expect(time.stderr).toMatch(/--since yesterday-ish: give a time/);
  });

  it('sfmcp policy check prints what the policy allows on each allowed org', async () => {
    const file = join(project, 'sfmcp.policy.json');
    const check = await sfmcp([
      'policy',
      'check',
      '--orgs',
      'scratch,prod',
      '--policy',
      file,
      '--project-dir',
      project,
    ]);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain(`Policy: ${file}`);
    const [, scratchBlock, prodBlock] = check.stdout.split(/\n\n/);
    expect(scratchBlock).toMatch(/^scratch \(admin@scratchy\.sfmcp\.test\) — scratch/);
    expect(scratchBlock).toMatch(/Rule: +policy rule orgs\[0\] "scratch orgs are for building"/);
    expect(scratchBlock).toMatch(/Writes: +allowed/);
    expect(prodBlock).toMatch(/^prod \(admin@prod\.sfmcp\.test\) — production/);
    expect(prodBlock).toMatch(/Writes: +refused \(production, no --allow-production-writes\)/);
    expect(prodBlock).toMatch(/refused: search_records/);
    expect(prodBlock).toMatch(/Query rows: +at most 5 per call/);
    expect(prodBlock).toMatch(/Not read: +objects Contact/);
    expect(prodBlock).toMatch(/Not read: +fields Account\.Phone/);
  });
});

describe('a policy that asks for review', () => {
  it('previews a write the tool would not ask about, runs it with the token once, and refuses the token again', async () => {
    const file = writePolicy(
      'review.policy.json',
      JSON.stringify({ orgs: [{ name: 'review changes', match: { kind: 'scratch' }, review: 'writes' }] }),
    );
    const server = await serve(['--policy', file]);
    try {
      const args = { sobject: 'Account', records: [{ Name: 'Reviewed first' }], usernameOrAlias: 'scratch' };
      const rows = () =>
        [...scratch.state.records.rows('Account')].filter((row) => row.Name === 'Reviewed first');
      const preview = await server.call('create_records', args);
      expect(preview.isError, preview.text).toBeFalsy();
      expect(preview.text).toMatch(
        /policy rule orgs\[0\] "review changes" .* asks the user to approve create_records on scratch/,
      );
      expect(rows()).toHaveLength(0);
      const token = /confirmationToken: "([\w-]+)"/.exec(preview.text)?.[1];
      expect(token).toBeDefined();
      const confirmed = await server.call('create_records', { ...args, confirmationToken: token });
      expect(confirmed.isError, confirmed.text).toBeFalsy();
      expect(rows()).toHaveLength(1);
      const again = await server.call('create_records', { ...args, confirmationToken: token });
      expect(again.isError).toBe(true);
      expect(again.text).toMatch(/^Refused: /);
      expect(rows()).toHaveLength(1);
      // Reads are not reviewed.
      const read = await server.call('run_soql_query', {
        query: 'SELECT Name FROM Account LIMIT 1',
        usernameOrAlias: 'scratch',
      });
      expect(read.isError, read.text).toBeFalsy();
    } finally {
      await server.close();
    }
  });
});

describe('a policy file with a mistake', () => {
  it('refuses to start, naming the file, the line and the column', async () => {
    const file = writePolicy(
      'broken.policy.json',
      [
        '{',
        '  "orgs": [',
        '    { "match": { "kind": "scratch" },',
        '      "writes": "yes" }',
        '  ]',
        '}',
      ].join('\n'),
    );
    await expect(serve(['--policy', file])).rejects.toThrow(
      /broken\.policy\.json:4:17: orgs\[0\]\.writes: .*boolean/,
    );
    const syntax = writePolicy('syntax.policy.json', '{\n  "orgs": [\n    { "writes": true, }\n  ]\n}');
    await expect(serve(['--policy', syntax])).rejects.toThrow(
      /syntax\.policy\.json:3:23: the policy is not valid JSON/,
    );
  });
});

describe('rate limits', () => {
  it('refuse a call over the limit with when to try again, and allow it once the window has passed', async () => {
    const file = writePolicy(
      'limited.policy.json',
      JSON.stringify({
        default: { rateLimits: { tools: { run_soql_query: { calls: 2, perSeconds: 1 } } } },
      }),
    );
    const server = await serve(['--policy', file]);
    try {
      const query = { query: 'SELECT Name FROM Account LIMIT 1', usernameOrAlias: 'scratch' };
      expect((await server.call('run_soql_query', query)).isError).toBeFalsy();
      expect((await server.call('run_soql_query', query)).isError).toBeFalsy();
      const limited = await server.call('run_soql_query', query);
      expect(limited.isError).toBe(true);
      expect(limited.text).toMatch(/"rateLimits\.tools\.run_soql_query" allows 2 calls per 1 s on scratch/);
      const wait = Number(/Try again in (\d+) s/.exec(limited.text)?.[1]);
      expect(wait).toBeGreaterThanOrEqual(1);
      // Another tool on the same org is not held by this tool's limit.
      const other = await server.call('describe_object', {
        objectName: 'Account',
        usernameOrAlias: 'scratch',
      });
      expect(other.isError, other.text).toBeFalsy();
      await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
      const again = await server.call('run_soql_query', query);
      expect(again.isError, again.text).toBeFalsy();
    } finally {
      await server.close();
    }
  });
});

describe("the org's own API usage", () => {
  it('refuses a call once the org has used more of its daily API requests than the threshold, with the figures', async () => {
    const file = writePolicy(
      'usage.policy.json',
      JSON.stringify({ default: { rateLimits: { apiUsageThreshold: 0.9 } } }),
    );
    const server = await serve(['--policy', file]);
    try {
      scratch.setApiUsage(9400, 10000);
      const query = { query: 'SELECT Name FROM Account LIMIT 1', usernameOrAlias: 'scratch' };
      // Opening the org answers with its usage (Sforce-Limit-Info: 9,401 of 10,000): the query is not sent.
      const seen: string[] = [];
      const stop = scratch.onQuery(({ text }) => seen.push(text));
      const refused = await server.call('run_soql_query', query);
      stop();
      expect(seen).not.toContain(query.query);
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(
        /has used 94\d\d of its 10000 daily API requests \(94%; the threshold is 90%\)/,
      );
      // Another org's usage is its own.
      const other = await server.call('run_soql_query', { ...query, usernameOrAlias: 'prod' });
      expect(other.isError, other.text).toBeFalsy();
    } finally {
      scratch.setApiUsage(0);
      await server.close();
    }
  });
});
