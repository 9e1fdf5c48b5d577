import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { type IncomingHttpHeaders, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type LocalOrg, startLocalOrg } from '@sfmcp/local-org';
import {
  type SpawnedHttpServer,
  authorizeOrgs,
  callTool,
  makeDxProject,
  spawnHttpServer,
} from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Several sfmcp instances behind a load balancer: stateless HTTP, one SFMCP_SECRET, one --confirmation-store.
// A round-robin proxy sends each request to the next instance, so a listing's pages and a confirmation's two
// calls land on different processes. The servers run as child processes while the local org answers from
// this one: everything here is asynchronous (no spawnSync), or the org could not answer.

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const SECRET = 'multi-instance-secret-'.padEnd(48, 'x');
const ACCOUNTS = 450;
const tokenOf = (text: string) => /confirmationToken: "([\w-]+)"/.exec(text)?.[1];

let org: LocalOrg;
let work: string;
let project: string;
let store: string;
let audit: string;
const spawned: SpawnedHttpServer[] = [];

/** One request the proxy forwarded: to which instance, and what it carried. */
interface Forwarded {
  target: number;
  method: string;
  rpc?: string;
  tool?: string;
  status?: number;
}

interface Proxy {
  url: string;
  forwarded: Forwarded[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);
function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/**
 * A tiny load balancer: each request goes to the next target in turn, with its method, path, headers and
 * body, Host rewritten to the target's; the answer's status, headers and body stream back as they come.
 */
async function startProxy(targets: URL[]): Promise<Proxy> {
  const forwarded: Forwarded[] = [];
  let turn = 0;
  const server: Server = createServer((req, res) => {
    const target = turn++ % targets.length;
    const entry: Forwarded = { target, method: req.method ?? '' };
    forwarded.push(entry);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        const message = JSON.parse(body.toString('utf8')) as { method?: string; params?: { name?: string } };
        entry.rpc = message.method;
        entry.tool = message.params?.name;
      } catch {
        // not JSON (a GET has no body)
      }
      const url = targets[target]!;
      const upstream = request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.url,
          headers: { ...forwardable(req.headers), host: url.host, 'content-length': String(body.length) },
        },
        (answer) => {
          entry.status = answer.statusCode;
          res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
          answer.pipe(res);
        },
      );
      upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    forwarded,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** An sfmcp instance serving stateless HTTP for the local org. */
async function instance(secret: string, extra: string[] = []): Promise<SpawnedHttpServer> {
  const server = await spawnHttpServer({
    bin,
    args: ['--http-stateless', '--orgs', 'local', '--toolsets', 'data', '--project-dir', project, ...extra],
    env: { HOME: homedir(), SFMCP_SECRET: secret },
  });
  spawned.push(server);
  return server;
}

/** The SDK client through the proxy, once its connection has settled (initialize, initialized, the GET). */
async function clientThrough(proxy: Proxy): Promise<Client> {
  const client = new Client({ name: 'behind-a-balancer', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(proxy.url)));
  // The SDK opens its GET stream in the background after initialize: wait for its answer, so that the calls
  // below alternate between the instances in the order they are made.
  const answered = () =>
    proxy.forwarded.some((entry) => entry.method === 'GET' && entry.status !== undefined);
  for (let tries = 0; !answered(); tries++) {
    if (tries > 500) throw new Error('the client never opened its GET stream');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return client;
}

const toolCalls = (proxy: Proxy, tool: string) =>
  proxy.forwarded.filter((entry) => entry.rpc === 'tools/call' && entry.tool === tool);

beforeAll(async () => {
  org = await startLocalOrg({
    seed: {
      users: [{ '@ref': 'admin', FirstName: 'Admin', LastName: 'Multi', Username: 'admin@multi.sfmcp.test' }],
      records: {
        Account: Array.from({ length: ACCOUNTS }, (_, index) => ({
          Name: `Paged Account ${String(index).padStart(3, '0')}`,
        })),
      },
    },
  });
  await authorizeOrgs({
    orgs: [
      {
        username: org.username,
        alias: 'local',
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        orgId: org.orgId,
      },
    ],
  });
  work = mkdtempSync(join(tmpdir(), 'sfmcp-multi-instance-'));
  project = await makeDxProject(join(work, 'project'));
  store = join(work, 'confirmations');
  audit = join(work, 'audit.jsonl');
});
afterAll(async () => {
  await Promise.all(spawned.map((server) => server.close()));
  await org?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('two instances behind a round-robin proxy', () => {
  let proxy: Proxy;
  let client: Client;
  let instances: SpawnedHttpServer[];

  beforeAll(async () => {
    // One shared audit file too: each instance appends whole lines to it.
    const flags = ['--confirmation-store', store, '--audit-log', audit];
    instances = await Promise.all([instance(SECRET, flags), instance(SECRET, flags)]);
    proxy = await startProxy(instances.map((server) => new URL(server.url)));
    client = await clientThrough(proxy);
  });
  afterAll(async () => {
    await client?.close();
    await proxy?.close();
  });

  it('serves no sessions: initialize went to one instance, the GET stream was refused with 405', () => {
    expect(proxy.forwarded[0]).toMatchObject({ rpc: 'initialize', status: 200 });
    expect(proxy.forwarded.find((entry) => entry.method === 'GET')).toMatchObject({ status: 405 });
    expect(new Set(proxy.forwarded.map((entry) => entry.target))).toEqual(new Set([0, 1]));
  });

  it('pages a query on one instance and continues it on the other: every row, once', async () => {
    const query = 'SELECT Id, Name FROM Account ORDER BY Name';
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await callTool(client, 'run_soql_query', {
        query,
        maxRows: 150,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.isError, page.text).toBeFalsy();
      const structured = page.structuredContent as {
        totalSize: number;
        offset: number;
        records: { Id: string }[];
        nextCursor?: string;
      };
      expect(structured.offset).toBe(ids.length);
      ids.push(...structured.records.map((record) => record.Id));
      cursor = structured.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(20);
    } while (cursor);

    expect(pages).toBeGreaterThanOrEqual(3);
    const expected = [...org.state.records.rows('Account')].map((row) => row.Id as string);
    expect(expected).toHaveLength(ACCOUNTS);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected].sort());
    // Each page went to the other instance than the page before it.
    const served = toolCalls(proxy, 'run_soql_query').map((entry) => entry.target);
    expect(served).toHaveLength(pages);
    served.slice(1).forEach((target, index) => expect(target).not.toBe(served[index]));
    expect(new Set(served)).toEqual(new Set([0, 1]));
  });

  it('previews a write on one instance and runs it when confirmed on the other; the token is then spent on both', async () => {
    const names = Array.from({ length: 6 }, (_, index) => `Confirmed Across ${index}`);
    const args = { sobject: 'Account', records: names.map((Name) => ({ Name })) };
    const created = () =>
      [...org.state.records.rows('Account')].filter((row) => names.includes(row.Name as string));

    const preview = await callTool(client, 'create_records', args);
    expect(preview.isError, preview.text).toBeFalsy();
    expect(preview.text).toMatch(/Confirmation needed — nothing has been changed yet\./);
    const token = tokenOf(preview.text);
    expect(token).toBeDefined();
    expect(created()).toEqual([]);

    const confirmed = await callTool(client, 'create_records', { ...args, confirmationToken: token });
    expect(confirmed.isError, confirmed.text).toBeFalsy();
    expect(
      created()
        .map((row) => row.Name)
        .sort(),
    ).toEqual(names);
    const [previewedOn, confirmedOn] = toolCalls(proxy, 'create_records').map((entry) => entry.target);
    expect(confirmedOn).not.toBe(previewedOn);

    // Used: refused by either instance, and nothing more is created.
    for (let attempt = 0; attempt < 2; attempt++) {
      const replayed = await callTool(client, 'create_records', { ...args, confirmationToken: token });
      expect(replayed.isError).toBe(true);
      expect(replayed.text).toMatch(
        /Refused: The confirmation token is unknown, has expired or was already used\. Nothing was changed\./,
      );
    }
    const replayedOn = toolCalls(proxy, 'create_records')
      .slice(2)
      .map((entry) => entry.target);
    expect(new Set(replayedOn)).toEqual(new Set([0, 1]));
    expect(created()).toHaveLength(names.length);
    // The spend is recorded in the shared folder.
    expect(readdirSync(store).filter((name) => /^[0-9a-f]{64}$/.test(name)).length).toBeGreaterThan(0);
  });

  it('audits the calls of both instances in the one file', () => {
    const entries = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { tool: string; outcome: string; session: string; orgs: string[] });
    const writes = entries.filter((entry) => entry.tool === 'create_records');
    expect(writes.map((entry) => entry.outcome)).toEqual([
      'awaiting-confirmation',
      'ok',
      'refused',
      'refused',
    ]);
    for (const entry of writes) {
      expect(entry.session).toBe('anonymous-loopback');
      expect(entry.orgs).toEqual([org.username]);
    }
  });
});

describe('instances with different secrets', () => {
  it('refuse each other’s cursors and confirmation tokens, clearly', async () => {
    const [a, b] = await Promise.all([
      instance(SECRET, ['--confirmation-store', join(work, 'store-a')]),
      instance('another-secret-'.padEnd(48, 'y'), ['--confirmation-store', join(work, 'store-b')]),
    ]);
    const query = 'SELECT Id, Name FROM Account ORDER BY Name';
    const page = await callTool(a.client, 'run_soql_query', { query, maxRows: 10 });
    const cursor = (page.structuredContent as { nextCursor?: string }).nextCursor;
    expect(cursor).toBeDefined();
    const foreign = await callTool(b.client, 'run_soql_query', { query, maxRows: 10, cursor });
    expect(foreign.isError).toBe(true);
    expect(foreign.text).toMatch(/The cursor is not valid: it was altered, or issued by another server\./);
    // The instance that sealed it still continues it.
    const next = await callTool(a.client, 'run_soql_query', { query, maxRows: 10, cursor });
    expect(next.isError, next.text).toBeFalsy();
    expect((next.structuredContent as { offset: number }).offset).toBe(10);

    const names = Array.from({ length: 6 }, (_, index) => `Foreign Token ${index}`);
    const args = { sobject: 'Account', records: names.map((Name) => ({ Name })) };
    const preview = await callTool(a.client, 'create_records', args);
    const refused = await callTool(b.client, 'create_records', {
      ...args,
      confirmationToken: tokenOf(preview.text),
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/Refused: The confirmation token is unknown/);
    expect(
      [...org.state.records.rows('Account')].filter((row) => names.includes(row.Name as string)),
    ).toEqual([]);
  });
});

describe('--http-stateless with --dynamic-tools', () => {
  it('is refused at start, in one line, with exit code 1', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [bin, '--transport', 'http', '--port', '0', '--http-stateless', '--dynamic-tools', '--orgs', 'local'],
        { env: { ...process.env, HOME: homedir() } },
        (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'sfmcp: --dynamic-tools enables tools per session, and --http-stateless keeps no sessions: use one or the other.',
    );
  });
});
