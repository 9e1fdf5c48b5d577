import { apiVersion, definePlugin, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { authorize, connect } from './helpers.js';

// A tool that declares neither usernameOrAlias nor directory: the server gives it both.
const plugin = definePlugin({
  toolset: 'shared',
  description: 'Shared arguments.',
  apiVersion,
  tools: [
    defineTool({
      name: 'where_am_i',
      title: 'Where am I',
      description: 'Says which org and project the call resolves to.',
      input: z.object({ note: z.string().max(10).optional() }),
      output: z.object({ org: z.string(), project: z.string(), input: z.record(z.string(), z.unknown()) }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      release: 'ga',
      needsOrg: true,
      takesDirectory: true,
      handler: async (input, ctx) => {
        const org = await ctx.org();
        const project = await ctx.project().then(
          (dx) => dx.root,
          (error: Error) => error.message,
        );
        return toolResult({ text: org.username, structured: { org: org.username, project, input }, org });
      },
    }),
  ],
});

beforeAll(async () => {
  await authorize({ username: 'a@acme.com', alias: 'orgA', instanceUrl: 'http://127.0.0.1:9' });
  await authorize({ username: 'b@acme.com', alias: 'orgB', instanceUrl: 'http://127.0.0.1:9' });
});

describe('the shared usernameOrAlias and directory arguments', () => {
  it('are published by the server, once, with one description', async () => {
    const server = await connect([plugin], ['--orgs', 'orgA,orgB']);
    const tool = (await server.client.listTools()).tools.find((candidate) => candidate.name === 'where_am_i');
    expect(tool?.inputSchema.properties).toMatchObject({
      usernameOrAlias: { type: 'string', description: 'default: the default org' },
      directory: { type: 'string', description: "DX project; default: the server's" },
    });
    await server.close();
  });

  it('reach ctx.org() and ctx.project(), and not the handler’s input', async () => {
    const server = await connect([plugin], ['--orgs', 'orgA,orgB']);
    const result = await server.call('where_am_i', { usernameOrAlias: 'orgB', note: 'x' });
    expect(result.structuredContent).toMatchObject({ org: 'b@acme.com', input: { note: 'x' } });
    expect((result.structuredContent as { input: Record<string, unknown> }).input).not.toHaveProperty(
      'usernameOrAlias',
    );
    await server.close();
  });

  it('refuse a directory outside the project, before the tool runs', async () => {
    const server = await connect([plugin], ['--orgs', 'orgA,orgB']);
    const result = await server.call('where_am_i', { usernameOrAlias: 'orgA', directory: '/etc' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/The path "\/etc" is outside the project/);
    await server.close();
  });
});
