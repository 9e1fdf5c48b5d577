import { z } from 'zod';
import { directoryArgument, orgArgument } from './arguments.js';
import { type AnyTool, confirms } from './tool.js';
import type { PluginPrompt, ToolAlias } from './plugin.js';

/**
 * How a tool is published (`tools/list`) and the manifest format: `@sfmcp/plugin-api/manifest`.
 *
 * Both sides of a manifest use this one module: a plugin's build writes what its tools publish
 * (`@sfmcp/plugin-dev`), and the server lists them from it without importing the plugin. What is written at
 * build time is what the server would publish itself, so it belongs to the contract, not to either side.
 * Not exported from the package's main entry: a plugin at run time never needs it.
 */

/** The manifest format this module writes and reads. */
export const MANIFEST_VERSION = 1;

export interface PublishedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations: Partial<AnyTool['annotations']>;
}

/**
 * What a plugin publishes, written at build time next to its code, so the server can list its tools without
 * importing it: the plugin's modules (and what they import) load on the first call instead of at start-up.
 */
export interface PluginManifest {
  manifestVersion: typeof MANIFEST_VERSION;
  apiVersion: string;
  toolset: string;
  description: string;
  tools: {
    published: PublishedTool;
    annotations: AnyTool['annotations'];
    release: AnyTool['release'];
    needsOrg: boolean;
    changesOrg: boolean;
    confirms: boolean;
  }[];
  resumers: { idPrefixes: string[]; operation: string; readOnly?: boolean }[];
  /** Names answered without being listed (absent in manifests written before aliases). */
  aliases?: ToolAlias[];
  /**
   * Prompts, resources and resource templates as listed; reading or rendering one imports the plugin. Absent in
   * manifests written before they were listed here (those plugins are eager).
   */
  prompts?: { name: string; title?: string; description: string; arguments?: PluginPrompt['arguments'] }[];
  resources?: { uri: string; name: string; title?: string; description: string; mimeType: string }[];
  resourceTemplates?: {
    uriTemplate: string;
    name: string;
    title?: string;
    description: string;
    mimeType?: string;
  }[];
  /**
   * The plugin is imported at start: what it lists needs its code at once (completions of prompt arguments or
   * template variables, watched resources).
   */
  eager: boolean;
}

/**
 * What a tool that confirms may return instead of its own output: a review step that changed nothing
 * (`{ nothingChanged: true, confirmationToken, expiresAt, summary }`, or `declined: true`). Published beside
 * the tool's output schema (anyOf), as little as a client needs to accept it.
 */
export const REVIEW_OUTPUT_SCHEMA = { required: ['nothingChanged'] } as const;

const confirmationTokenField = z.string().max(64).optional().describe('Approves a preview; omit at first.');

/** The arguments the server gives a tool, by what the tool declares: published once, with one description. */
export function serverArguments(tool: AnyTool): { org: boolean; directory: boolean } {
  const own = tool.input.shape;
  return {
    org: tool.needsOrg && !('usernameOrAlias' in own),
    directory: Boolean(tool.takesDirectory) && !('directory' in own),
  };
}

/**
 * The input schema the server validates and publishes: the tool's own, plus the shared `usernameOrAlias` and
 * `directory` where the tool takes them, and confirmationToken for tools that confirm.
 */
export function effectiveInputSchema(tool: AnyTool): z.ZodObject<z.ZodRawShape> {
  const shared = serverArguments(tool);
  return tool.input.extend({
    ...(shared.org ? { usernameOrAlias: orgArgument } : {}),
    ...(shared.directory ? { directory: directoryArgument } : {}),
    ...(confirms(tool) ? { confirmationToken: confirmationTokenField } : {}),
  });
}

/**
 * Annotations as tools/list shows them. The title is published once, at the top level; readOnlyHint and
 * idempotentHint are left out when false, which is both MCP's default and what a client that ignores
 * defaults assumes. destructiveHint and openWorldHint are always sent: their MCP default is true.
 */
function publishedAnnotations(annotations: AnyTool['annotations']): Partial<AnyTool['annotations']> {
  const { readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = annotations;
  // MCP: destructiveHint and idempotentHint mean something only when readOnlyHint is false.
  if (readOnlyHint) return { readOnlyHint, openWorldHint };
  return { destructiveHint, ...(idempotentHint ? { idempotentHint } : {}), openWorldHint };
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
  if (!confirms(tool)) return output;
  return { type: 'object', anyOf: [output, REVIEW_OUTPUT_SCHEMA] };
}

/** Bounds the server enforces but does not publish: the model pays for every byte listed. */
const UNPUBLISHED_BOUNDS = new Set([
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'propertyNames',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
]);

/** How deep a published output schema describes its objects: the result's fields, each with its type. */
const OUTPUT_OUTLINE_DEPTH = 1;

/**
 * An output schema as tools/list shows it: the result's fields, each with its type only (which are always
 * there stays with the server). Looser than the tool's own schema (which the server checks every result
 * against), so a client validating structured content against it accepts every result; the model is not
 * paying for the shape of a deploy's component rows.
 */
function outlineOutput(schema: unknown, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const node = schema as Record<string, unknown>;
  const outlined: Record<string, unknown> = {};
  if (node.type !== undefined) outlined.type = node.type;
  if (depth >= OUTPUT_OUTLINE_DEPTH) return outlined;
  if (Array.isArray(node.enum) && depth <= 1) outlined.enum = node.enum;
  if (node.properties && typeof node.properties === 'object') {
    outlined.properties = mapValues(node.properties, (item) => outlineOutput(item, depth + 1));
  }
  if (node.items !== undefined) outlined.items = outlineOutput(node.items, depth + 1);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    outlined.additionalProperties = outlineOutput(node.additionalProperties, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(node[key]))
      outlined[key] = (node[key] as unknown[]).map((branch) => outlineOutput(branch, depth));
  }
  return outlined;
}

function withoutBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutBounds);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !UNPUBLISHED_BOUNDS.has(key))
      .map(([key, item]) => [
        key,
        key === 'properties' ? mapValues(item, withoutBounds) : withoutBounds(item),
      ]),
  );
}

function mapValues(value: unknown, map: (item: unknown) => unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, map(item)]),
  );
}

/** The tool's whole input schema as JSON Schema, bounds included: what the server checks arguments against. */
export function inputValidationSchema(tool: AnyTool): Record<string, unknown> {
  return jsonSchema(effectiveInputSchema(tool), 'input');
}

/**
 * The tool as tools/list shows it. Computed afresh on each call (the server caches it per tool); two calls give
 * the same JSON, byte for byte.
 */
export function publishTool(
  tool: AnyTool,
  validation: Record<string, unknown> = inputValidationSchema(tool),
): PublishedTool {
  if (tool.schemaStyle === 'full') return publishFull(tool);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: withoutBounds(validation) as Record<string, unknown>,
    ...(tool.output && tool.publishOutput === true
      ? {
          outputSchema: outputSchemaOf(
            tool,
            outlineOutput(jsonSchema(tool.output, 'output')) as Record<string, unknown>,
          ),
        }
      : {}),
    annotations: publishedAnnotations(tool.annotations),
  };
}

function fullJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
}

/** A tool with `schemaStyle: 'full'`: its schemas as zod writes JSON Schema 2020-12, nothing left out. */
function publishFull(tool: AnyTool): PublishedTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: fullJsonSchema(effectiveInputSchema(tool), 'input'),
    ...(tool.output ? { outputSchema: outputSchemaOf(tool, fullJsonSchema(tool.output, 'output')) } : {}),
    annotations: publishedAnnotations(tool.annotations),
  };
}
