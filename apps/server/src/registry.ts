import { type AnyTool, confirms } from '@sfmcp/plugin-api';
import type { PluginListing, ToolListing } from './listing.js';
import {
  type PublishedTool,
  effectiveInputSchema,
  inputValidationSchema,
  publishTool as publishDefinition,
} from '@sfmcp/plugin-api/manifest';
import type { ServerOptions } from './cli.js';
import { UsageError } from './cli.js';

export interface RegisteredTool {
  tool: ToolListing;
  toolset: string;
  /** The package the tool came from. */
  source: string;
}

export interface Registry {
  /** Every tool of every loaded plugin, by name. */
  tools: Map<string, RegisteredTool>;
  /** toolset name → its plugin and package. */
  toolsets: Map<string, { plugin: PluginListing; source: string }>;
  /** Plugins or tools refused while composing (duplicate names): reported, never fatal. */
  problems: string[];
}

/** Budget for a tool description: every byte is paid for by the model on every request. */
export const DESCRIPTION_BUDGET = 400;

export function buildRegistry(plugins: readonly { plugin: PluginListing; source: string }[]): Registry {
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

// How a tool is published is part of the contract (@sfmcp/plugin-api/manifest): a plugin's manifest, written at
// build time, holds exactly what this server would publish. The server only caches it per tool.
export { effectiveInputSchema, type PublishedTool };

const validation = new WeakMap<AnyTool, Record<string, unknown>>();

/** The tool's whole input schema as JSON Schema, bounds included: what the server checks arguments against. */
export function validationSchema(tool: AnyTool): Record<string, unknown> {
  let schema = validation.get(tool);
  if (!schema) {
    schema = inputValidationSchema(tool);
    validation.set(tool, schema);
  }
  return schema;
}

const published = new WeakMap<AnyTool, PublishedTool>();

/** The tool as tools/list shows it; computed once per tool. */
export function publishTool(tool: AnyTool): PublishedTool {
  let entry = published.get(tool);
  if (!entry) {
    entry = publishDefinition(tool, validationSchema(tool));
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
export function checkRegistry(tools: readonly { tool: AnyTool; toolset: string }[]): string[] {
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
