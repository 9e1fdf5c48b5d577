import { type AnyTool, type Plugin, confirms, z } from '@sfmcp/plugin-api';
import type { ServerOptions } from './cli.js';
import { UsageError } from './cli.js';
import { REVIEW_OUTPUT_SCHEMA } from './call/results.js';

export interface RegisteredTool {
  tool: AnyTool;
  toolset: string;
  /** The package the tool came from. */
  source: string;
}

export interface Registry {
  /** Every tool of every loaded plugin, by name. */
  tools: Map<string, RegisteredTool>;
  /** toolset name → its plugin and package. */
  toolsets: Map<string, { plugin: Plugin; source: string }>;
  /** Plugins or tools refused while composing (duplicate names): reported, never fatal. */
  problems: string[];
}

/** Budget for a tool description: every byte is paid for by the model on every request. */
export const DESCRIPTION_BUDGET = 400;

export function buildRegistry(plugins: readonly { plugin: Plugin; source: string }[]): Registry {
  const registry: Registry = { tools: new Map(), toolsets: new Map(), problems: [] };
  for (const { plugin, source } of plugins) {
    const existingToolset = registry.toolsets.get(plugin.toolset);
    if (existingToolset) {
      registry.problems.push(
        `${source}: toolset ${plugin.toolset} is already provided by ${existingToolset.source}; skipped`,
      );
      continue;
    }
    const clash = plugin.tools.find((tool) => registry.tools.has(tool.name));
    if (clash) {
      registry.problems.push(
        `${source}: tool ${clash.name} is already provided by ${registry.tools.get(clash.name)?.source}; toolset ${plugin.toolset} skipped`,
      );
      continue;
    }
    registry.toolsets.set(plugin.toolset, { plugin, source });
    for (const tool of plugin.tools) registry.tools.set(tool.name, { tool, toolset: plugin.toolset, source });
  }
  return registry;
}

/** The tools the flags select. Unknown toolsets or tools are usage errors that list the valid names. */
export function selectTools(
  registry: Registry,
  options: Pick<ServerOptions, 'toolsets' | 'tools' | 'allowNonGaTools' | 'readOnly'>,
): RegisteredTool[] {
  const chosen = new Map<string, RegisteredTool>();
  if (options.toolsets !== 'all') {
    const unknown = options.toolsets.filter((name) => !registry.toolsets.has(name));
    if (unknown.length) {
      throw new UsageError(
        `Unknown toolset${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Valid toolsets: all, ${[...registry.toolsets.keys()].sort().join(', ') || '(none installed)'}`,
      );
    }
  }
  const unknownTools = options.tools.filter((name) => !registry.tools.has(name));
  if (unknownTools.length) {
    throw new UsageError(
      `Unknown tool${unknownTools.length > 1 ? 's' : ''}: ${unknownTools.join(', ')}. Valid tools: ${[...registry.tools.keys()].sort().join(', ') || '(none installed)'}`,
    );
  }
  const wholeToolsets =
    options.toolsets === 'all'
      ? options.tools.length
        ? []
        : [...registry.toolsets.keys()]
      : options.toolsets;
  for (const entry of registry.tools.values())
    if (wholeToolsets.includes(entry.toolset)) chosen.set(entry.tool.name, entry);
  for (const name of options.tools) {
    const entry = registry.tools.get(name) as RegisteredTool;
    if (entry.tool.release === 'preview' && !options.allowNonGaTools) {
      throw new UsageError(`Tool ${name} is a preview tool: add --allow-non-ga-tools to load it.`);
    }
    chosen.set(name, entry);
  }
  return [...chosen.values()].filter(
    (entry) =>
      (entry.tool.release === 'ga' || options.allowNonGaTools) &&
      (!options.readOnly || entry.tool.annotations.readOnlyHint),
  );
}

/** Tools that may ask for confirmation accept a one-time confirmation token (for clients without elicitation). */
export function acceptsConfirmationToken(tool: AnyTool): boolean {
  return confirms(tool);
}

const confirmationTokenField = z
  .string()
  .max(64)
  .optional()
  .describe('Approves a preview; omit at first.');

/** The input schema the server validates and publishes: the tool's own, plus confirmationToken for tools that confirm. */
export function effectiveInputSchema(tool: AnyTool): z.ZodObject<z.ZodRawShape> {
  return acceptsConfirmationToken(tool)
    ? tool.input.extend({ confirmationToken: confirmationTokenField })
    : tool.input;
}

/**
 * Annotations as tools/list shows them. The title is published once, at the top level; readOnlyHint and
 * idempotentHint are left out when false, which is both MCP's default and what a client that ignores
 * defaults assumes. destructiveHint and openWorldHint are always sent: their MCP default is true.
 */
function publishedAnnotations(annotations: AnyTool['annotations']): Partial<AnyTool['annotations']> {
  const { readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = annotations;
  return {
    ...(readOnlyHint ? { readOnlyHint } : {}),
    destructiveHint,
    ...(idempotentHint ? { idempotentHint } : {}),
    openWorldHint,
  };
}

export interface PublishedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations: Partial<AnyTool['annotations']>;
}

/** Drops what costs the model bytes and tells it nothing (`additionalProperties: false` on output objects, ...). */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (!value || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'additionalProperties' && item === false) continue;
    // z.int() bounds and string keys are what JSON already means.
    if (
      (key === 'minimum' && item === Number.MIN_SAFE_INTEGER) ||
      (key === 'maximum' && item === Number.MAX_SAFE_INTEGER)
    )
      continue;
    if (key === 'propertyNames' && JSON.stringify(item) === '{"type":"string"}') continue;
    result[key] = compact(item);
  }
  return result;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return compact(rest) as Record<string, unknown>;
}

/**
 * A tool that confirms may answer with its review step (a preview, or the user's no) instead of its output:
 * both are published, so the preview is a successful result that clients checking the schema accept.
 */
function outputSchemaOf(tool: AnyTool, output: Record<string, unknown>): Record<string, unknown> {
  if (!acceptsConfirmationToken(tool)) return output;
  return { type: 'object', anyOf: [output, REVIEW_OUTPUT_SCHEMA] };
}

/** Bounds the server enforces (call/validate.ts) but does not publish: the model pays for every byte listed. */
const UNPUBLISHED_BOUNDS = new Set(['maxLength', 'maxItems', 'propertyNames']);

function withoutBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutBounds);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !UNPUBLISHED_BOUNDS.has(key))
      .map(([key, item]) => [key, key === 'properties' ? mapValues(item, withoutBounds) : withoutBounds(item)]),
  );
}

function mapValues(value: unknown, map: (item: unknown) => unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, map(item)]));
}

const validation = new WeakMap<AnyTool, Record<string, unknown>>();

/** The tool's whole input schema as JSON Schema, bounds included: what the server checks arguments against. */
export function validationSchema(tool: AnyTool): Record<string, unknown> {
  let schema = validation.get(tool);
  if (!schema) {
    schema = jsonSchema(effectiveInputSchema(tool), 'input');
    validation.set(tool, schema);
  }
  return schema;
}

const published = new WeakMap<AnyTool, PublishedTool>();

/** Lists a tool as a manifest already published it (see manifest.ts). */
export function seedPublished(tool: AnyTool, entry: PublishedTool): void {
  published.set(tool, entry);
}

/** The tool as tools/list shows it; computed once per tool. */
export function publishTool(tool: AnyTool): PublishedTool {
  let entry = published.get(tool);
  if (!entry) {
    entry = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: withoutBounds(validationSchema(tool)) as Record<string, unknown>,
      ...(tool.output ? { outputSchema: outputSchemaOf(tool, jsonSchema(tool.output, 'output')) } : {}),
      annotations: publishedAnnotations(tool.annotations),
    };
    published.set(tool, entry);
  }
  return entry;
}

/**
 * Where an input schema takes an unbounded string or list: every one needs maxLength / maxItems, so a huge
 * argument is refused by its schema at once instead of reaching a parser or a did-you-mean.
 */
export function unboundedInputs(schema: unknown, path = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const found: string[] = [];
  const types = [node.type].flat();
  const isEnum = Array.isArray(node.enum) || 'const' in node;
  if (
    types.includes('string') &&
    !isEnum &&
    typeof node.maxLength !== 'number' &&
    typeof node.format !== 'string'
  )
    found.push(path || '(input)');
  if (types.includes('array') && typeof node.maxItems !== 'number') found.push(`${path || '(input)'}[]`);
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, unknown>))
    found.push(...unboundedInputs(child, path ? `${path}.${key}` : key));
  if (node.items) found.push(...unboundedInputs(node.items, `${path}[]`));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    for (const child of (node[key] as unknown[] | undefined) ?? [])
      found.push(...unboundedInputs(child, path));
  if (node.additionalProperties && typeof node.additionalProperties === 'object')
    found.push(...unboundedInputs(node.additionalProperties, `${path}.*`));
  return found;
}

/** Registry-wide rules every tool must keep; returns what breaks them. */
export function checkRegistry(tools: readonly RegisteredTool[]): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>();
  for (const { tool, toolset } of tools) {
    const other = names.get(tool.name);
    if (other) problems.push(`${tool.name}: defined by both ${other} and ${toolset}`);
    names.set(tool.name, toolset);
    for (const key of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
      if (typeof tool.annotations[key] !== 'boolean')
        problems.push(`${tool.name}: annotations.${key} is not set`);
    }
    if (tool.description.length > DESCRIPTION_BUDGET) {
      problems.push(
        `${tool.name}: description is ${tool.description.length} characters (budget ${DESCRIPTION_BUDGET})`,
      );
    }
    const input = publishTool(tool).inputSchema;
    for (const key of ['oneOf', 'anyOf', 'allOf'])
      if (key in input) problems.push(`${tool.name}: top-level ${key} in the input schema`);
    if (input.type !== 'object') problems.push(`${tool.name}: input schema is not an object`);
    const unbounded = unboundedInputs(validationSchema(tool));
    if (unbounded.length)
      problems.push(`${tool.name}: unbounded input (add .max()): ${unbounded.join(', ')}`);
  }
  return problems;
}
