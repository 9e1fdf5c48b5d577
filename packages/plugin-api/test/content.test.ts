import { describe, expect, it } from 'vitest';
import {
  apiVersion,
  audioContent,
  definePlugin,
  defineTool,
  embeddedResource,
  imageContent,
  resourceContents,
  toolResult,
  z,
} from '../src/index.js';
import { publishTool } from '../src/manifest.js';

const bytes = new Uint8Array([1, 2, 3, 250]);
const quiet = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

describe('content parts', () => {
  it('encodes bytes as base64 in MCP shapes', () => {
    expect(imageContent(bytes, 'image/png')).toEqual({
      type: 'image',
      data: 'AQID+g==',
      mimeType: 'image/png',
    });
    expect(audioContent(bytes.subarray(1, 3), 'audio/wav')).toEqual({
      type: 'audio',
      data: 'AgM=',
      mimeType: 'audio/wav',
    });
    expect(embeddedResource('test://a', 'text', 'text/plain')).toEqual({
      type: 'resource',
      resource: { uri: 'test://a', mimeType: 'text/plain', text: 'text' },
    });
    expect(resourceContents('test://b', bytes)).toEqual({ uri: 'test://b', blob: 'AQID+g==' });
  });

  it('toolResult carries parts after the text, and leaves them out when there are none', () => {
    const image = imageContent(bytes, 'image/png');
    expect(toolResult({ text: 'look', content: [image] })).toEqual({ text: 'look', content: [image] });
    expect(toolResult({ text: 'plain', content: [] })).toEqual({ text: 'plain' });
  });
});

describe("schemaStyle 'full'", () => {
  const address = z.strictObject({ city: z.string().max(50) }).meta({ id: 'postalAddress' });
  const input = z.strictObject({ name: z.string().max(20), address });
  const tool = (schemaStyle?: 'compact' | 'full') =>
    defineTool({
      name: 'take_address',
      title: 'Address',
      description: 'Takes an address.',
      input,
      annotations: quiet,
      release: 'ga',
      needsOrg: false,
      ...(schemaStyle ? { schemaStyle } : {}),
      handler: async () => ({ text: 'ok' }),
    });

  it('publishes JSON Schema 2020-12 whole: $schema, $defs, additionalProperties and bounds', () => {
    expect(publishTool(tool('full')).inputSchema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { name: { type: 'string', maxLength: 20 }, address: { $ref: '#/$defs/postalAddress' } },
      required: ['name', 'address'],
      additionalProperties: false,
      $defs: {
        postalAddress: {
          type: 'object',
          properties: { city: { type: 'string', maxLength: 50 } },
          required: ['city'],
          additionalProperties: false,
        },
      },
    });
  });

  it('leaves the compact default as it was', () => {
    expect(publishTool(tool()).inputSchema).toEqual(publishTool(tool('compact')).inputSchema);
    expect(publishTool(tool()).inputSchema).not.toHaveProperty('$schema');
    expect(publishTool(tool()).inputSchema).not.toHaveProperty('additionalProperties');
  });

  it('refuses another style', () => {
    expect(() => tool('loose' as never)).toThrow(/schemaStyle must be 'compact' or 'full'/);
  });
});

describe('definePlugin: prompts, resources and templates', () => {
  const base = {
    toolset: 'things',
    description: 'Things.',
    apiVersion,
    tools: [
      defineTool({
        name: 'list_things',
        title: 'Things',
        description: 'Lists things.',
        input: z.object({}),
        annotations: quiet,
        release: 'ga',
        needsOrg: false,
        handler: async () => ({ text: '' }),
      }),
    ],
  };
  const resource = {
    uri: 'test://a',
    name: 'a',
    description: 'A.',
    mimeType: 'text/plain',
    read: async () => '',
  };
  const template = {
    uriTemplate: 'test://items/{id}',
    name: 'item',
    description: 'Item.',
    read: async () => '',
  };

  it('accepts templates with a variable, and refuses duplicates and templates without one', () => {
    expect(definePlugin({ ...base, resources: [resource], resourceTemplates: [template] })).toBeTruthy();
    expect(() => definePlugin({ ...base, resources: [resource, resource] })).toThrow(
      /resource test:\/\/a is defined twice/,
    );
    expect(() =>
      definePlugin({ ...base, resourceTemplates: [{ ...template, uriTemplate: 'test://fixed' }] }),
    ).toThrow(/has no \{variable\}: make it a resource/);
    const prompt = { name: 'p', description: 'P.', render: () => '' };
    expect(() => definePlugin({ ...base, prompts: [prompt, prompt] })).toThrow(/prompt p is defined twice/);
  });
});
