import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { definePlugin } from '@sfmcp/plugin-api';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorize, connect } from './helpers.js';
import { orgPlugin, samplePlugin, wiped } from './fixtures/sample-plugin.js';

beforeEach(() => {
  wiped.length = 0;
});

describe('tools/list and calls', () => {
  it('lists the selected tools and the core tools', async () => {
    const server = await connect([samplePlugin]);
    const { tools } = await server.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'echo_text',
      'fail_loudly',
      'get_username',
      'page_numbers',
      'resume_tool_operation',
      'wipe_things',
    ]);
    expect(tools.find((tool) => tool.name === 'echo_text')?.annotations).toMatchObject({
      readOnlyHint: true,
    });
    await server.close();
  });

  it('returns text and structured content', async () => {
    const server = await connect([samplePlugin]);
    const result = await server.call('echo_text', { text: 'hello' });
    expect(result.text).toBe('hello');
    expect(result.structuredContent).toEqual({ text: 'hello' });
    await server.close();
  });

  it('answers bad arguments with a clear error naming the field', async () => {
    const server = await connect([samplePlugin]);
    const result = await server.call('echo_text', { text: '' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Invalid arguments for echo_text: text: /);
    await server.close();
  });

  it('turns an unexpected exception into an error result without a stack trace', async () => {
    const server = await connect([samplePlugin]);
    const result = await server.call('fail_loudly');
    expect(result).toMatchObject({ isError: true, text: 'fail_loudly failed: boom' });
    expect(result.text).not.toMatch(/at .*\.ts/);
    await server.close();
  });

  it('refuses an unknown tool', async () => {
    const server = await connect([samplePlugin]);
    await expect(server.client.callTool({ name: 'nope', arguments: {} })).rejects.toThrow(
      /Unknown tool: nope/,
    );
    await server.close();
  });
});

describe('--read-only', () => {
  it('registers only read-only tools', async () => {
    const server = await connect([samplePlugin, orgPlugin], ['--read-only', '--orgs', 'dev']);
    const names = (await server.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('echo_text');
    expect(names).not.toContain('touch_org');
    expect(names).not.toContain('wipe_things');
    await server.close();
  });
});

describe('confirmation with a one-time token (client without elicitation)', () => {
  it('returns the preview and a token, and changes nothing', async () => {
    const server = await connect([samplePlugin]);
    const result = await server.call('wipe_things', { things: ['a', 'b'] });
    // A preview is not a failure: the tool did what it should (MCP's isError means the tool failed).
    expect(result.isError).toBeFalsy();
    expect(result.text).toMatch(
      /Confirmation needed — nothing has been changed yet\.\nWipe 2 things\n\na\nb/,
    );
    expect(result.text).toMatch(/confirmationToken: "[\w-]+"/);
    expect(wiped).toEqual([]);
    await server.close();
  });

  it('runs when called again with the token, once', async () => {
    const server = await connect([samplePlugin]);
    const preview = await server.call('wipe_things', { things: ['a'] });
    const token = /confirmationToken: "([\w-]+)"/.exec(preview.text)?.[1];
    const confirmed = await server.call('wipe_things', { things: ['a'], confirmationToken: token });
    expect(confirmed.isError).toBeFalsy();
    expect(wiped).toEqual(['a']);
    const replay = await server.call('wipe_things', { things: ['a'], confirmationToken: token });
    expect(replay.text).toMatch(/already used/);
    expect(wiped).toEqual(['a']);
    await server.close();
  });

  it('refuses a token issued for other arguments', async () => {
    const server = await connect([samplePlugin]);
    const preview = await server.call('wipe_things', { things: ['a'] });
    const token = /confirmationToken: "([\w-]+)"/.exec(preview.text)?.[1];
    const swapped = await server.call('wipe_things', { things: ['everything'], confirmationToken: token });
    expect(swapped.isError).toBe(true);
    expect(swapped.text).toMatch(/does not match these arguments/);
    expect(wiped).toEqual([]);
    await server.close();
  });
});

describe('confirmation with elicitation', () => {
  it('asks the user and runs when they accept', async () => {
    const asked: string[] = [];
    const server = await connect([samplePlugin], [], {
      onElicit: (message) => (asked.push(message), { action: 'accept', content: { confirm: true } }),
    });
    const result = await server.call('wipe_things', { things: ['x'] });
    expect(result.isError).toBeFalsy();
    expect(asked[0]).toMatch(/Wipe 1 things\n\nx\n\nProceed\?/);
    expect(wiped).toEqual(['x']);
    await server.close();
  });

  it('changes nothing when the user declines', async () => {
    const server = await connect([samplePlugin], [], { onElicit: () => ({ action: 'decline' }) });
    const result = await server.call('wipe_things', { things: ['x'] });
    expect(result.isError).toBeFalsy();
    expect(result.text).toBe('Cancelled: the user did not approve. Nothing was changed.');
    expect(wiped).toEqual([]);
    await server.close();
  });
});

describe('org access', () => {
  beforeAll(async () => {
    // Nothing listens on port 9: the org's kind cannot be read.
    await authorize({ username: 'dev@acme.com', alias: 'dev', instanceUrl: 'http://127.0.0.1:9' });
    await authorize({ username: 'other@acme.com', alias: 'other', instanceUrl: 'http://127.0.0.1:9' });
  });

  it('refuses an org outside the allowlist, whatever the tool is passed', async () => {
    const server = await connect([samplePlugin, orgPlugin], ['--orgs', 'dev']);
    const result = await server.call('touch_org', { usernameOrAlias: 'other' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/"other" is not allowed for this server\. Allowed: dev \(dev@acme.com\)/);
    await server.close();
  });

  it('treats an org whose kind it cannot read as production, and refuses to change it', async () => {
    const server = await connect(
      [samplePlugin, orgPlugin],
      ['--orgs', 'dev', '--audit-log', join(homedir(), 'audit.jsonl')],
    );
    const result = await server.call('touch_org', {});
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Refused: dev \(dev@acme.com\) is a production org/);
    expect(result.text).toMatch(/--allow-production-writes/);
    const audit = readFileSync(join(homedir(), 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(audit.at(-1)).toMatchObject({ tool: 'touch_org', outcome: 'refused' });
    await server.close();
  });

  it('lets a tool that writes only local files read a production org', async () => {
    const server = await connect([samplePlugin, orgPlugin], ['--orgs', 'dev']);
    expect((await server.call('export_sample', {})).text).toBe('Org: dev (dev@acme.com)\nread production');
    await server.close();
  });

  it('lets --allow-production-writes through', async () => {
    const server = await connect([samplePlugin, orgPlugin], ['--orgs', 'dev', '--allow-production-writes']);
    const result = await server.call('touch_org', {});
    expect(result.text).toBe('Org: dev (dev@acme.com)\ntouched (production)');
    await server.close();
  });

  it('will not start org tools without --orgs', async () => {
    const withoutOrgTools = await connect([samplePlugin, orgPlugin], ['--toolsets', 'sample']);
    expect((await withoutOrgTools.client.listTools()).tools.map((tool) => tool.name)).not.toContain(
      'touch_org',
    );
    await withoutOrgTools.close();
    await expect(connect([samplePlugin, orgPlugin], [])).rejects.toThrow(
      /toolsets org-sample need org access: pass --orgs/,
    );
  });

  it('starts chosen toolsets that mostly need no org without --orgs, leaving their org tools out', async () => {
    const mixed = definePlugin({
      ...orgPlugin,
      toolset: 'mixed',
      tools: [...samplePlugin.tools, ...orgPlugin.tools],
    });
    const server = await connect([mixed], ['--toolsets', 'mixed']);
    const names = (await server.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(
        samplePlugin.tools.filter((tool) => tool.release === 'ga').map((tool) => tool.name),
      ),
    );
    expect(names).not.toContain('touch_org');
    await server.close();
    // A chosen toolset whose every tool needs an org still asks for --orgs.
    await expect(connect([orgPlugin], ['--toolsets', 'org-sample'])).rejects.toThrow(
      /need org access: pass --orgs/,
    );
  });

  it('lists the allowed orgs from their auth files without connecting', async () => {
    const server = await connect([samplePlugin, orgPlugin], ['--orgs', 'dev,other']);
    const listed = JSON.parse((await server.call('list_allowed')).text);
    expect(listed).toEqual([
      expect.objectContaining({
        username: 'dev@acme.com',
        alias: 'dev',
        instanceUrl: 'http://127.0.0.1:9',
        isDefault: false,
        grantedBy: 'dev',
      }),
      expect.objectContaining({
        username: 'other@acme.com',
        alias: 'other',
        isDefault: false,
        grantedBy: 'other',
      }),
    ]);
    await server.close();
  });

  it('switches the session default among allowed orgs only', async () => {
    const server = await connect([samplePlugin, orgPlugin], ['--orgs', 'dev,other']);
    expect((await server.call('touch_org', {})).text).toMatch(/Several orgs are allowed/);
    expect((await server.call('choose_org', { usernameOrAlias: 'other' })).text).toBe('other@acme.com');
    expect((await server.call('touch_org', {})).text).toMatch(/Refused: other \(other@acme.com\)/);
    expect(JSON.parse((await server.call('list_allowed')).text)[1]).toMatchObject({
      username: 'other@acme.com',
      isDefault: true,
    });
    expect((await server.call('choose_org', { usernameOrAlias: 'stranger@acme.com' })).text).toMatch(
      /not allowed/,
    );
    await server.close();
  });

  it('get_username names the only allowed org', async () => {
    const server = await connect([samplePlugin, orgPlugin], ['--orgs', 'dev']);
    const result = await server.call('get_username', {});
    expect(result.structuredContent).toMatchObject({ username: 'dev@acme.com', alias: 'dev' });
    await server.close();
  });
});

describe('--dynamic-tools', () => {
  it('starts with core tools and enables a toolset on request, notifying the client', async () => {
    const server = await connect([samplePlugin], ['--dynamic-tools']);
    const before = (await server.client.listTools()).tools.map((tool) => tool.name).sort();
    expect(before).toEqual(['enable_tools', 'get_username', 'list_tools', 'resume_tool_operation']);
    let notified = false;
    server.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified = true;
    });
    const enabled = await server.call('enable_tools', { toolsets: ['sample'] });
    expect(enabled.structuredContent).toMatchObject({
      enabled: expect.arrayContaining(['echo_text', 'wipe_things']),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(notified).toBe(true);
    expect((await server.client.listTools()).tools.map((tool) => tool.name)).toContain('echo_text');
    const unknown = await server.call('enable_tools', { toolsets: ['nope'] });
    expect(unknown.text).toMatch(/Not available here: toolset nope/);
    await server.close();
  });
});

describe('resume_tool_operation', () => {
  const resumable = {
    ...samplePlugin,
    toolset: 'resumable',
    tools: [samplePlugin.tools[0]!].map((tool) => ({ ...tool, name: 'echo_again' })),
    resumers: [
      {
        idPrefixes: ['0Af'],
        operation: 'metadata deploy',
        resume: async (request: { jobId: string; wait: number }) => ({
          text: `resumed ${request.jobId} for ${request.wait} min`,
        }),
      },
    ],
  };

  it('dispatches by the job id prefix to the toolset that handles it', async () => {
    const server = await connect([resumable]);
    expect((await server.call('resume_tool_operation', { jobId: '0Af000000000001AAA' })).text).toBe(
      'resumed 0Af000000000001AAA for 30 min',
    );
    await server.close();
  });

  it('says which prefixes it can resume when none matches, and refuses what is not an id', async () => {
    const server = await connect([resumable]);
    const unknown = await server.call('resume_tool_operation', { jobId: '707000000000001AAA' });
    expect(unknown).toMatchObject({ isError: true });
    expect(unknown.text).toMatch(
      /No loaded toolset can resume jobs with id prefix 707\.\nIt can resume: 0Af \(metadata deploy\)/,
    );
    expect((await server.call('resume_tool_operation', { jobId: 'deploy-1' })).text).toMatch(
      /is not a Salesforce job id/,
    );
    await server.close();
  });
});
