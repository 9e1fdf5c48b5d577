import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  type CallToolResult,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import {
  type Plugin,
  apiVersion,
  definePlugin,
  defineTool,
  embeddedResource,
  imageContent,
  toolResult,
  z,
} from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { createRuntime } from '../src/runtime.js';
import { createSession } from '../src/session.js';
import { samplePlugin } from './fixtures/sample-plugin.js';

// The contract's client-facing pieces through a real session: content parts, sampling, elicitation, log messages,
// resources (binary, templates, subscriptions), prompts with messages, completion.

const PIXEL = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const quiet = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** A resource whose updates the test triggers. */
const watched = { listeners: new Set<() => void>(), stops: 0 };

const featuresPlugin: Plugin = definePlugin({
  toolset: 'features',
  description: 'Exercises the client-facing contract.',
  apiVersion,
  tools: [
    defineTool({
      name: 'show_picture',
      title: 'Picture',
      description: 'Returns text, an image and an embedded resource.',
      input: z.object({}),
      output: z.object({ parts: z.number() }),
      annotations: quiet,
      release: 'ga',
      needsOrg: false,
      handler: async () =>
        toolResult({
          text: 'A picture:',
          structured: { parts: 3 },
          content: [
            imageContent(PIXEL, 'image/png'),
            embeddedResource('test://note', 'a note', 'text/plain'),
          ],
        }),
    }),
    defineTool({
      name: 'ask_model',
      title: 'Ask the model',
      description: "Asks the client's model.",
      input: z.object({ question: z.string().max(200) }),
      annotations: quiet,
      release: 'ga',
      needsOrg: false,
      handler: async ({ question }, ctx) => {
        const answer = await ctx.createMessage({
          messages: [{ role: 'user', content: { type: 'text', text: question } }],
          maxTokens: 50,
          systemPrompt: 'Be brief.',
        });
        return { text: `${answer.model}: ${answer.content.type === 'text' ? answer.content.text : '?'}` };
      },
    }),
    defineTool({
      name: 'ask_user',
      title: 'Ask the user',
      description: 'Asks the user for a colour.',
      input: z.object({}),
      annotations: quiet,
      release: 'ga',
      needsOrg: false,
      handler: async (_input, ctx) => {
        const answer = await ctx.elicit({
          message: 'Pick a colour',
          fields: {
            colour: { type: 'string', enum: ['red', 'green'] },
            count: { type: 'integer', minimum: 1 },
          },
          required: ['colour'],
        });
        return { text: JSON.stringify(answer) };
      },
    }),
    defineTool({
      name: 'narrate_work',
      title: 'Narrate',
      description: 'Logs to the client at three levels.',
      input: z.object({}),
      annotations: quiet,
      release: 'ga',
      needsOrg: false,
      handler: async (_input, ctx) => {
        await ctx.logToClient('debug', 'details');
        await ctx.logToClient('info', 'started', { step: 1 });
        await ctx.logToClient('error', 'went wrong');
        return {
          text: `features: sampling ${ctx.client.sampling}, elicitation ${ctx.client.elicitation}; stream closed: ${ctx.closeResponseStream()}`,
        };
      },
    }),
  ],
  resources: [
    {
      uri: 'test://binary',
      name: 'binary',
      description: 'Bytes.',
      mimeType: 'image/png',
      read: async () => PIXEL,
    },
    {
      uri: 'test://watched',
      name: 'watched',
      description: 'Changes when the test says so.',
      mimeType: 'text/plain',
      read: async () => 'now',
      watch: (onUpdated) => {
        watched.listeners.add(onUpdated);
        return () => {
          watched.listeners.delete(onUpdated);
          watched.stops += 1;
        };
      },
    },
  ],
  resourceTemplates: [
    {
      uriTemplate: 'test://items/{id}',
      name: 'item',
      description: 'An item by id.',
      mimeType: 'application/json',
      read: async (uri, { id }) => JSON.stringify({ uri, id }),
      complete: { id: (value) => ['101', '102', '201'].filter((id) => id.startsWith(value)) },
    },
  ],
  prompts: [
    {
      name: 'describe_picture',
      description: 'A picture and a question about it.',
      arguments: [{ name: 'subject', description: 'What to look for', required: true }],
      render: ({ subject }) => [
        { role: 'user', content: imageContent(PIXEL, 'image/png') },
        { role: 'user', content: { type: 'text', text: `Where is the ${subject}?` } },
      ],
      complete: {
        subject: (value) => Array.from({ length: 150 }, (_, index) => `${value}${index}`),
      },
    },
  ],
});

async function connect(
  plugins: Plugin[],
  capabilities: ConstructorParameters<typeof Client>[1] = {},
): Promise<{
  client: Client;
  call: (name: string, args?: object) => Promise<CallToolResult>;
  close(): Promise<void>;
}> {
  const command = parseCli([]);
  if (command.kind !== 'serve') throw new Error('serving flags expected');
  const runtime = await createRuntime(command.options, {
    plugins: plugins.map((plugin) => ({ plugin, source: `test:${plugin.toolset}` })),
    discover: false,
  });
  const server = createSession(runtime);
  const client = new Client({ name: 'test', version: '0' }, capabilities);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    call: async (name, args = {}) =>
      (await client.callTool({ name, arguments: args as Record<string, unknown> })) as CallToolResult,
    close: async () => {
      await client.close();
      await runtime.close();
    },
  };
}

describe('tool results with content parts', () => {
  it('sends the text first, then the parts as the tool gave them', async () => {
    const server = await connect([featuresPlugin]);
    const result = await server.call('show_picture');
    expect(result.content).toEqual([
      { type: 'text', text: 'A picture:' },
      { type: 'image', data: Buffer.from(PIXEL).toString('base64'), mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'test://note', mimeType: 'text/plain', text: 'a note' } },
    ]);
    expect(result.structuredContent).toEqual({ parts: 3 });
    await server.close();
  });
});

describe('asking the client', () => {
  it("sends sampling/createMessage and returns the model's answer", async () => {
    const server = await connect([featuresPlugin], { capabilities: { sampling: {} } });
    const asked: unknown[] = [];
    server.client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      asked.push(request.params);
      return { role: 'assistant', content: { type: 'text', text: 'forty-two' }, model: 'test-model' };
    });
    const result = await server.call('ask_model', { question: 'Why?' });
    expect(result.content).toEqual([{ type: 'text', text: 'test-model: forty-two' }]);
    expect(asked).toEqual([
      {
        messages: [{ role: 'user', content: { type: 'text', text: 'Why?' } }],
        maxTokens: 50,
        systemPrompt: 'Be brief.',
      },
    ]);
    await server.close();
  });

  it('says so when the client cannot sample or elicit', async () => {
    const server = await connect([featuresPlugin]);
    expect(await server.call('ask_model', { question: 'Why?' })).toMatchObject({
      isError: true,
      content: [{ text: expect.stringMatching(/this client does not support sampling/) }],
    });
    expect(await server.call('ask_user')).toMatchObject({
      isError: true,
      content: [{ text: expect.stringMatching(/does not support elicitation/) }],
    });
    await server.close();
  });

  it('puts a form to the user and returns the answer, checked against the fields', async () => {
    const server = await connect([featuresPlugin], { capabilities: { elicitation: {} } });
    const answers = [
      { action: 'accept', content: { colour: 'red', count: 2 } },
      { action: 'decline' },
      { action: 'accept', content: { colour: 'blue' } },
    ];
    const schemas: unknown[] = [];
    server.client.setRequestHandler(ElicitRequestSchema, (request) => {
      schemas.push((request.params as { requestedSchema?: unknown }).requestedSchema);
      return answers.shift() as never;
    });
    expect((await server.call('ask_user')).content).toEqual([
      { type: 'text', text: '{"action":"accept","content":{"colour":"red","count":2}}' },
    ]);
    expect(schemas[0]).toEqual({
      type: 'object',
      properties: {
        colour: { type: 'string', enum: ['red', 'green'] },
        count: { type: 'integer', minimum: 1 },
      },
      required: ['colour'],
    });
    expect((await server.call('ask_user')).content).toEqual([{ type: 'text', text: '{"action":"decline"}' }]);
    // An answer outside the form is refused by the server, not handed to the tool.
    expect(await server.call('ask_user')).toMatchObject({
      isError: true,
      content: [{ text: expect.stringMatching(/did not answer the elicitation request: .*schema/) }],
    });
    await server.close();
  });
});

describe('log messages to the client', () => {
  it('sends them with the call, at or above the level the client set', async () => {
    const server = await connect([featuresPlugin]);
    const received: unknown[] = [];
    server.client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      received.push(notification.params);
    });
    const result = await server.call('narrate_work');
    // Over the in-memory transport no stream can be ended: closeResponseStream says so.
    expect(result.content).toEqual([
      { type: 'text', text: 'features: sampling false, elicitation false; stream closed: false' },
    ]);
    expect(received).toEqual([
      { level: 'debug', logger: 'narrate_work', data: 'details' },
      { level: 'info', logger: 'narrate_work', data: { message: 'started', step: 1 } },
      { level: 'error', logger: 'narrate_work', data: 'went wrong' },
    ]);
    received.length = 0;
    await server.client.setLoggingLevel('warning');
    await server.call('narrate_work');
    expect(received).toEqual([{ level: 'error', logger: 'narrate_work', data: 'went wrong' }]);
    await server.close();
  });
});

describe('resources', () => {
  it('reads bytes as a blob, and a template with the values in its URI', async () => {
    const server = await connect([featuresPlugin]);
    expect((await server.client.readResource({ uri: 'test://binary' })).contents).toEqual([
      { uri: 'test://binary', mimeType: 'image/png', blob: Buffer.from(PIXEL).toString('base64') },
    ]);
    expect((await server.client.readResource({ uri: 'test://items/7' })).contents).toEqual([
      { uri: 'test://items/7', mimeType: 'application/json', text: '{"uri":"test://items/7","id":"7"}' },
    ]);
    expect((await server.client.listResourceTemplates()).resourceTemplates).toEqual([
      {
        uriTemplate: 'test://items/{id}',
        name: 'item',
        description: 'An item by id.',
        mimeType: 'application/json',
      },
    ]);
    await expect(server.client.readResource({ uri: 'test://nothing' })).rejects.toThrow(/Unknown resource/);
    await server.close();
  });

  it('tells subscribers of updates, watches only while someone subscribes, and stops with the session', async () => {
    watched.stops = 0;
    const first = await connect([featuresPlugin]);
    const second = await connect([featuresPlugin]);
    expect(first.client.getServerCapabilities()?.resources).toEqual({ subscribe: true });
    const updates: string[] = [];
    for (const [name, server] of [
      ['first', first],
      ['second', second],
    ] as const) {
      server.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
        updates.push(`${name} ${notification.params.uri}`);
      });
    }
    await first.client.subscribeResource({ uri: 'test://watched' });
    await second.client.subscribeResource({ uri: 'test://watched' });
    await expect(first.client.subscribeResource({ uri: 'test://nothing' })).rejects.toThrow(
      /Unknown resource/,
    );
    // Each runtime is its own server: each watches once, whatever its sessions do.
    expect(watched.listeners.size).toBe(2);
    for (const listener of [...watched.listeners]) listener();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(updates.sort()).toEqual(['first test://watched', 'second test://watched']);

    await first.client.unsubscribeResource({ uri: 'test://watched' });
    expect(watched.stops).toBe(1);
    await second.close();
    expect(watched.stops).toBe(2);
    expect(watched.listeners.size).toBe(0);
    await first.close();
  });
});

describe('prompts and completion', () => {
  it('renders messages with content parts, and refuses a missing required argument', async () => {
    const server = await connect([featuresPlugin]);
    expect((await server.client.listPrompts()).prompts).toEqual([
      {
        name: 'describe_picture',
        description: 'A picture and a question about it.',
        arguments: [{ name: 'subject', description: 'What to look for', required: true }],
      },
    ]);
    expect(
      (await server.client.getPrompt({ name: 'describe_picture', arguments: { subject: 'cat' } })).messages,
    ).toEqual([
      {
        role: 'user',
        content: { type: 'image', data: Buffer.from(PIXEL).toString('base64'), mimeType: 'image/png' },
      },
      { role: 'user', content: { type: 'text', text: 'Where is the cat?' } },
    ]);
    await expect(server.client.getPrompt({ name: 'describe_picture' })).rejects.toThrow(
      /needs the argument subject/,
    );
    await server.close();
  });

  it('completes prompt arguments and template variables, at most 100 values', async () => {
    const server = await connect([featuresPlugin]);
    expect(server.client.getServerCapabilities()?.completions).toEqual({});
    const many = await server.client.complete({
      ref: { type: 'ref/prompt', name: 'describe_picture' },
      argument: { name: 'subject', value: 'x' },
    });
    expect(many.completion).toMatchObject({ total: 150, hasMore: true });
    expect(many.completion.values).toHaveLength(100);
    expect(
      (
        await server.client.complete({
          ref: { type: 'ref/resource', uri: 'test://items/{id}' },
          argument: { name: 'id', value: '10' },
        })
      ).completion,
    ).toEqual({ values: ['101', '102'], total: 2, hasMore: false });
    // An argument without a completer has no suggestions; an unknown prompt is an error.
    expect(
      (
        await server.client.complete({
          ref: { type: 'ref/resource', uri: 'test://items/{id}' },
          argument: { name: 'other', value: '' },
        })
      ).completion.values,
    ).toEqual([]);
    await expect(
      server.client.complete({
        ref: { type: 'ref/prompt', name: 'nope' },
        argument: { name: 'a', value: '' },
      }),
    ).rejects.toThrow(/Unknown prompt/);
    await server.close();
  });
});

describe('a plugin without these pieces', () => {
  it('gets the capabilities it had: tools and logging only', async () => {
    const server = await connect([samplePlugin]);
    expect(server.client.getServerCapabilities()).toEqual({ tools: { listChanged: false }, logging: {} });
    await server.close();
  });
});
