import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ToolError, apiVersion, definePlugin, defineTool, z } from '@sfmcp/plugin-api';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { StartupError, createRuntime } from '../src/runtime.js';
import { createSession } from '../src/session.js';
import { CursorSealer } from '../src/trust/cursors.js';
import { ServerSecret } from '../src/trust/secret.js';
import { orgPlugin, samplePlugin, wipedInOrgs } from './fixtures/sample-plugin.js';
import { authorize, connect } from './helpers.js';

const tokenOf = (text: string) => /confirmationToken: "([\w-]+)"/.exec(text)?.[1];

beforeAll(async () => {
  // Nothing listens on port 9; with --allow-production-writes the fixture tools still act (they never call it).
  await authorize({ username: 'a@acme.com', alias: 'orgA', instanceUrl: 'http://127.0.0.1:9' });
  await authorize({ username: 'b@acme.com', alias: 'orgB', instanceUrl: 'http://127.0.0.1:9' });
});
beforeEach(() => {
  wipedInOrgs.length = 0;
});

const twoOrgs = ['--orgs', 'orgA,orgB', '--allow-production-writes'];

describe('confirmation tokens are bound to the org, the arguments and the session', () => {
  it('refuses a token approved on one org when the call now resolves to another', async () => {
    const server = await connect([samplePlugin, orgPlugin], [...twoOrgs]);
    await server.call('choose_org', { usernameOrAlias: 'orgA' });
    const preview = await server.call('wipe_org_things', { things: ['x'] });
    expect(preview.text).toMatch(/Wipe 1 things in orgA/);
    await server.call('choose_org', { usernameOrAlias: 'orgB' });
    const confirmed = await server.call('wipe_org_things', {
      things: ['x'],
      confirmationToken: tokenOf(preview.text),
    });
    expect(confirmed.isError).toBe(true);
    expect(confirmed.text).toMatch(/Refused: The confirmation token was issued for another org/);
    expect(wipedInOrgs).toEqual([]);
    await server.close();
  });

  it('refuses an org resolved after the approval that the approval did not cover', async () => {
    const server = await connect([samplePlugin, orgPlugin], [...twoOrgs]);
    await server.call('choose_org', { usernameOrAlias: 'orgA' });
    const preview = await server.call('wipe_then_pick', { things: ['x'], target: 'orgB' });
    const confirmed = await server.call('wipe_then_pick', {
      things: ['x'],
      target: 'orgB',
      confirmationToken: tokenOf(preview.text),
    });
    expect(confirmed.isError).toBe(true);
    expect(confirmed.text).toMatch(/approved this action for a@acme.com, not for orgB/);
    expect(wipedInOrgs).toEqual([]);
    await server.close();
  });

  it('runs when the org is the same, once', async () => {
    const server = await connect([samplePlugin, orgPlugin], [...twoOrgs]);
    const preview = await server.call('wipe_org_things', { things: ['x'], usernameOrAlias: 'orgB' });
    const token = tokenOf(preview.text);
    const confirmed = await server.call('wipe_org_things', {
      things: ['x'],
      usernameOrAlias: 'orgB',
      confirmationToken: token,
    });
    expect(confirmed.isError).toBeFalsy();
    expect(wipedInOrgs).toEqual([{ org: 'b@acme.com', things: ['x'] }]);
    await server.close();
  });

  it('refuses a token from another session of the same server', async () => {
    const command = parseCli([...twoOrgs]);
    if (command.kind !== 'serve') throw new Error('serve expected');
    const runtime = await createRuntime(command.options, {
      plugins: [
        { plugin: samplePlugin, source: 'test' },
        { plugin: orgPlugin, source: 'test' },
      ],
      discover: false,
    });
    const open = async () => {
      const client = new Client({ name: 'test', version: '0' });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await createSession(runtime).connect(serverSide);
      await client.connect(clientSide);
      return client;
    };
    const first = await open();
    const second = await open();
    const args = { things: ['x'], usernameOrAlias: 'orgA' };
    const preview = (await first.callTool({ name: 'wipe_org_things', arguments: args })) as CallToolResult;
    const token = tokenOf((preview.content[0] as { text: string }).text);
    const stolen = (await second.callTool({
      name: 'wipe_org_things',
      arguments: { ...args, confirmationToken: token },
    })) as CallToolResult;
    expect(stolen.isError).toBe(true);
    expect((stolen.content[0] as { text: string }).text).toMatch(/issued in another session/);
    expect(wipedInOrgs).toEqual([]);
    // Spent by the attempt: not usable in its own session either.
    const after = (await first.callTool({
      name: 'wipe_org_things',
      arguments: { ...args, confirmationToken: token },
    })) as CallToolResult;
    expect(after.isError).toBe(true);
    expect(wipedInOrgs).toEqual([]);
    await first.close();
    await second.close();
  });
});

describe('the preview is a successful result', () => {
  it('comes back without isError, with structured content the published output schema allows', async () => {
    const server = await connect([samplePlugin, orgPlugin], [...twoOrgs]);
    const listed = (await server.client.listTools()).tools.find((tool) => tool.name === 'wipe_org_things');
    expect(listed?.outputSchema).toMatchObject({
      type: 'object',
      anyOf: [expect.any(Object), expect.any(Object)],
    });
    // The SDK client checks structured content against the output schema: it would throw if it did not fit.
    const preview = await server.call('wipe_org_things', { things: ['x'], usernameOrAlias: 'orgA' });
    expect(preview.isError).toBeFalsy();
    expect(preview.structuredContent).toMatchObject({
      nothingChanged: true,
      confirmationToken: tokenOf(preview.text),
      summary: 'Wipe 1 things in orgA (a@acme.com)',
    });
    await server.close();
  });
});

describe('cursors', () => {
  const secret = new ServerSecret('');
  const sealer = new CursorSealer(secret);
  const binding = { org: 'a@acme.com', listing: { objectName: 'Account' } };

  it('open what they sealed, for the same tool, org and listing', () => {
    const cursor = sealer.seal('list_things', { offset: 40 }, binding);
    expect(cursor).toMatch(/^c1\./);
    expect(sealer.open('list_things', cursor, binding)).toEqual({ offset: 40 });
  });

  it('refuse a forged cursor (unsigned base64 JSON, as main issued before)', () => {
    const forged = Buffer.from(JSON.stringify({ offset: 0, l: 'http://127.0.0.1:1/steal' })).toString(
      'base64url',
    );
    expect(() => sealer.open('list_things', forged, binding)).toThrow(/not issued by this server/);
  });

  it('refuse a tampered cursor', () => {
    const cursor = sealer.seal('list_things', { offset: 40 }, binding);
    const [prefix, payload, mac] = cursor.split('.') as [string, string, string];
    const state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    state.s.offset = 0.5;
    const tampered = `${prefix}.${Buffer.from(JSON.stringify(state)).toString('base64url')}.${mac}`;
    expect(() => sealer.open('list_things', tampered, binding)).toThrow(
      /altered, or issued by another server/,
    );
  });

  it('refuse a cursor from another tool, org or listing', () => {
    const cursor = sealer.seal('list_things', { offset: 40 }, binding);
    expect(() => sealer.open('other_tool', cursor, binding)).toThrow(/belongs to list_things/);
    expect(() => sealer.open('list_things', cursor, { ...binding, org: 'b@acme.com' })).toThrow(
      /listing from a@acme.com, not from b@acme.com/,
    );
    expect(() =>
      sealer.open('list_things', cursor, { ...binding, listing: { objectName: 'Contact' } }),
    ).toThrow(/belongs to another listing/);
  });

  it('refuse an expired cursor', () => {
    let now = Date.now();
    const clocked = new CursorSealer(secret, 60_000, () => now);
    const cursor = clocked.seal('list_things', { offset: 1 }, binding);
    now += 61_000;
    expect(() => clocked.open('list_things', cursor, binding)).toThrow(/expired/);
  });

  it('refuse a cursor from another server, and verify across servers that share SFMCP_SECRET', () => {
    const cursor = sealer.seal('list_things', { offset: 1 }, binding);
    expect(() => new CursorSealer(new ServerSecret('')).open('list_things', cursor, binding)).toThrow(
      /issued by another server/,
    );
    const shared = 'x'.repeat(40);
    const issued = new CursorSealer(new ServerSecret(shared)).seal('list_things', { offset: 1 }, binding);
    expect(new CursorSealer(new ServerSecret(shared)).open('list_things', issued, binding)).toEqual({
      offset: 1,
    });
    expect(() => new ServerSecret('short')).toThrow(/at least 32 characters/);
  });

  it('page a listing through the server with pageWithinBudget, and refuse a cursor for another listing', async () => {
    const server = await connect([samplePlugin]);
    const first = await server.call('page_numbers', { label: 'a', count: 200 });
    const cursor = (first.structuredContent as { nextCursor?: string }).nextCursor;
    expect(cursor).toBeDefined();
    const second = await server.call('page_numbers', { label: 'a', count: 200, cursor });
    const firstNumbers = (first.structuredContent as { numbers: number[] }).numbers;
    expect((second.structuredContent as { numbers: number[] }).numbers[0]).toBe(firstNumbers.length + 1);
    const foreign = await server.call('page_numbers', { label: 'b', count: 200, cursor });
    expect(foreign.isError).toBe(true);
    expect(foreign.text).toMatch(/belongs to another listing/);
    await server.close();
  });
});

describe('the audit log fails closed', () => {
  it('refuses to start when the audit log cannot be written', async () => {
    // A folder that is a file: unwritable for every user, root included.
    const file = join(homedir(), 'not-a-folder');
    writeFileSync(file, '');
    const command = parseCli(['--audit-log', join(file, 'audit.jsonl')]);
    if (command.kind !== 'serve') throw new Error('serve expected');
    const starting = createRuntime(command.options, { plugins: [], discover: false });
    await expect(starting).rejects.toThrow(StartupError);
    await expect(starting).rejects.toThrow(/cannot write the audit log .*not-a-folder.*--audit-log/);
  });

  it('records a refused confirmation and a preview', async () => {
    const log = join(homedir(), 'audit-trust.jsonl');
    const server = await connect([samplePlugin, orgPlugin], [...twoOrgs, '--audit-log', log]);
    await server.call('wipe_org_things', { things: ['x'], usernameOrAlias: 'orgA' });
    await server.call('wipe_org_things', {
      things: ['x'],
      usernameOrAlias: 'orgA',
      confirmationToken: 'forged',
    });
    const entries = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entries.map((entry) => entry.outcome)).toEqual(['awaiting-confirmation', 'refused']);
    expect(entries[1].orgs).toEqual(['a@acme.com']);
    await server.close();
  });
});

describe('resume_tool_operation under --read-only', () => {
  const resumed: string[] = [];
  const plugin = definePlugin({
    toolset: 'jobs',
    description: 'Jobs to resume.',
    apiVersion,
    tools: [
      defineTool({
        name: 'start_job',
        title: 'Start a job',
        description: 'Starts a job.',
        input: z.object({}),
        annotations: {
          readOnlyHint: true,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
        release: 'ga',
        needsOrg: false,
        handler: async () => ({ text: 'started' }),
      }),
    ],
    resumers: [
      {
        idPrefixes: ['09S'],
        operation: 'retrieve',
        resume: async (request) => (resumed.push(request.jobId), { text: 'wrote files' }),
      },
      {
        idPrefixes: ['707'],
        operation: 'test run',
        readOnly: true,
        resume: async (request) => (resumed.push(request.jobId), { text: 'tests reported' }),
      },
    ],
  });

  it('resumes only what declares itself read-only, and publishes the tool as read-only', async () => {
    const server = await connect([plugin], ['--read-only']);
    const listed = (await server.client.listTools()).tools.find(
      (tool) => tool.name === 'resume_tool_operation',
    );
    expect(listed?.annotations?.readOnlyHint).toBe(true);
    const retrieve = await server.call('resume_tool_operation', { jobId: '09S000000000001AAA' });
    expect(retrieve.isError).toBe(true);
    expect(retrieve.text).toMatch(/Refused: this server is read-only, and resuming a retrieve writes files/);
    const tests = await server.call('resume_tool_operation', { jobId: '707000000000001AAA' });
    expect(tests.text).toBe('tests reported');
    expect(resumed).toEqual(['707000000000001AAA']);
    await server.close();
  });

  it('is not read-only otherwise, and is audited', async () => {
    const log = join(homedir(), 'audit-resume.jsonl');
    const server = await connect([plugin], ['--audit-log', log]);
    const listed = (await server.client.listTools()).tools.find(
      (tool) => tool.name === 'resume_tool_operation',
    );
    expect(listed?.annotations?.readOnlyHint).toBeUndefined();
    expect((await server.call('resume_tool_operation', { jobId: '09S000000000002AAA' })).text).toBe(
      'wrote files',
    );
    expect(readFileSync(log, 'utf8')).toMatch(/"tool":"resume_tool_operation".*"outcome":"ok"/);
    await server.close();
  });
});

describe('arguments no API can carry', () => {
  it('answers a lone surrogate with a clear error', async () => {
    const server = await connect([samplePlugin]);
    const result = await server.call('echo_text', { text: 'a\ud800b' });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      'Invalid arguments for echo_text: text: contains an unpaired UTF-16 surrogate (not valid Unicode text).',
    );
    await server.close();
  });

  it('never shows an access token an unexpected error carried', async () => {
    const leaky = definePlugin({
      toolset: 'leaky',
      description: 'Leaks.',
      apiVersion,
      tools: [
        defineTool({
          name: 'leak_token',
          title: 'Leak',
          description: 'Throws an error holding a token.',
          input: z.object({}),
          annotations: {
            readOnlyHint: true,
            destructiveHint: false,
            idempotentHint: true,
            openWorldHint: false,
          },
          release: 'ga',
          needsOrg: false,
          handler: async () => {
            throw new Error('request failed: Authorization: Bearer 00D000000000001!AQ4AQFakeTokenValue.abc');
          },
        }),
      ],
    });
    const server = await connect([leaky]);
    const result = await server.call('leak_token');
    expect(result.text).not.toMatch(/AQ4AQFakeTokenValue/);
    expect(result.text).toMatch(/\[access token\]/);
    expect(new ToolError('Refused: no').kind).toBe('refused');
    await server.close();
  });
});
