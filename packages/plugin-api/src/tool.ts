import { z } from 'zod';
import type { ContentPart } from './content.js';
import type { ToolContext } from './context.js';
import { DefinitionError } from './errors.js';

export interface ToolAnnotations {
  /** Changes nothing anywhere. Only these tools load with --read-only. */
  readOnlyHint: boolean;
  /** May delete or overwrite. Destructive tools go through the confirmation step. */
  destructiveHint: boolean;
  /** Calling twice with the same arguments has no further effect. */
  idempotentHint: boolean;
  /** Talks to something outside the server (an org, the network). */
  openWorldHint: boolean;
}

export type ToolRelease = 'ga' | 'preview';

export interface ToolResult<Output = Record<string, unknown>> {
  /** Compact text for the model. */
  text: string;
  /** Matches the tool's `output` schema. */
  structured?: Output;
  /**
   * Further parts after the text, in order: images, audio, embedded resources, resource links (see
   * imageContent, embeddedResource). The text stays first: it is what the model reads.
   */
  content?: readonly ContentPart[];
}

/**
 * How tools/list shows a tool's schemas. `compact` (the default) leaves out what costs the model bytes and tells
 * it nothing: the `$schema` dialect, `additionalProperties: false`, the bounds the server enforces anyway.
 * `full` publishes them as zod writes JSON Schema 2020-12: `$schema`, `$defs` for schemas given an id
 * (`.meta({ id })`), `additionalProperties: false` for strict objects, and the bounds, for clients that
 * validate arguments themselves.
 */
export type SchemaStyle = 'compact' | 'full';

export type AnyObjectSchema = z.ZodObject<z.ZodRawShape>;

export interface ToolDefinition<
  Input extends AnyObjectSchema = AnyObjectSchema,
  Output extends AnyObjectSchema = AnyObjectSchema,
> {
  /** snake_case verb phrase, at most 64 characters; where @salesforce/mcp has the same job, its name. */
  name: string;
  title: string;
  /** Short: every byte is context the model pays for. */
  description: string;
  input: Input;
  output?: Output;
  annotations: ToolAnnotations;
  release: ToolRelease;
  /**
   * The tool calls ctx.org(): the server then needs --orgs (or --local-org), and gives the tool the shared
   * `usernameOrAlias` argument (one name and description for every tool), which ctx.org() uses. A tool whose
   * input declares its own `usernameOrAlias` (another meaning) keeps it.
   */
  needsOrg: boolean;
  /**
   * The tool works in a DX project: the server gives it the shared `directory` argument (checked to stay in
   * the project), which ctx.project() uses. A tool whose input declares its own `directory` keeps it.
   */
  takesDirectory?: boolean;
  /**
   * Whether the tool changes an org (default: whenever it is not read-only). A tool that writes only local
   * files (an export, the sf CLI config) says `false`: it may then read production orgs, and is still left
   * out by --read-only.
   */
  changesOrg?: boolean;
  /**
   * For a tool that changes an org only for some inputs (a GraphQL mutation, not a query): decides each call from
   * its validated input, so that the production write guard applies to the calls that change. The tool's
   * `changesOrg` must be true (what it may do, as listed); a decision that throws counts as a change.
   */
  changesOrgFor?(input: z.output<Input>): boolean | Promise<boolean>;
  /**
   * The tool may call ctx.confirm (default: destructive tools do). Only such tools take the server's
   * `confirmationToken` argument, which clients without elicitation use to approve a preview.
   */
  confirms?: boolean;
  /**
   * Whether tools/list shows the output schema (default false). Every result's text says it all, and every
   * byte of tools/list is context the model pays for on every turn; the server still checks each structured
   * result against `output`. True for a tool whose clients read its structured content by the schema.
   */
  publishOutput?: boolean;
  /** How tools/list shows the schemas (default `compact`). */
  schemaStyle?: SchemaStyle;
  handler(input: z.output<Input>, ctx: ToolContext): Promise<ToolResult<z.output<Output>>>;
}

export type AnyTool = ToolDefinition<AnyObjectSchema, AnyObjectSchema>;

const TOOL_NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const ANNOTATION_KEYS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/** True when the tool may change an org: the production write guard and the audit log apply to it. */
export function changesOrg(tool: Pick<ToolDefinition, 'annotations' | 'changesOrg'>): boolean {
  return tool.changesOrg ?? !tool.annotations.readOnlyHint;
}

/**
 * Whether this call changes an org: the tool's `changesOrgFor` decision on the validated input, else
 * `changesOrg(tool)`. A decision that throws counts as a change.
 */
export async function callChangesOrg(
  tool: Pick<AnyTool, 'annotations' | 'changesOrg' | 'changesOrgFor'>,
  input: Record<string, unknown>,
): Promise<boolean> {
  if (!changesOrg(tool)) return false;
  if (!tool.changesOrgFor) return true;
  try {
    return (await tool.changesOrgFor(input)) !== false;
  } catch {
    return true;
  }
}

/** True when the tool may ask for confirmation (ctx.confirm), and so takes a confirmation token. */
export function confirms(tool: Pick<ToolDefinition, 'annotations' | 'confirms'>): boolean {
  return tool.confirms ?? tool.annotations.destructiveHint;
}

/** Checks a tool against the contract and returns it unchanged. */
export function defineTool<Input extends AnyObjectSchema, Output extends AnyObjectSchema = AnyObjectSchema>(
  tool: ToolDefinition<Input, Output>,
): ToolDefinition<Input, Output> {
  const where = `tool ${JSON.stringify(tool?.name)}`;
  if (typeof tool?.name !== 'string' || !TOOL_NAME.test(tool.name) || tool.name.length > 64) {
    throw new DefinitionError(
      `${where}: the name must be snake_case (a-z, 0-9, _), start with a letter, at most 64 characters`,
    );
  }
  for (const key of ['title', 'description'] as const) {
    if (typeof tool[key] !== 'string' || tool[key].trim() === '')
      throw new DefinitionError(`${where}: ${key} is required`);
  }
  if (!tool.annotations || typeof tool.annotations !== 'object') {
    throw new DefinitionError(`${where}: annotations are required (${ANNOTATION_KEYS.join(', ')})`);
  }
  for (const key of ANNOTATION_KEYS) {
    if (typeof tool.annotations[key] !== 'boolean') {
      throw new DefinitionError(`${where}: annotations.${key} must be set to true or false`);
    }
  }
  if (tool.annotations.readOnlyHint && tool.annotations.destructiveHint) {
    throw new DefinitionError(`${where}: a read-only tool cannot be destructive`);
  }
  if (tool.release !== 'ga' && tool.release !== 'preview')
    throw new DefinitionError(`${where}: release must be 'ga' or 'preview'`);
  if (typeof tool.needsOrg !== 'boolean')
    throw new DefinitionError(`${where}: needsOrg must be true or false`);
  if (tool.takesDirectory !== undefined && typeof tool.takesDirectory !== 'boolean')
    throw new DefinitionError(`${where}: takesDirectory must be true or false`);
  if (tool.publishOutput !== undefined && typeof tool.publishOutput !== 'boolean')
    throw new DefinitionError(`${where}: publishOutput must be true or false`);
  if (tool.schemaStyle !== undefined && tool.schemaStyle !== 'compact' && tool.schemaStyle !== 'full')
    throw new DefinitionError(`${where}: schemaStyle must be 'compact' or 'full'`);
  if (!(tool.input instanceof z.ZodObject))
    throw new DefinitionError(`${where}: input must be a zod object schema`);
  if (tool.output !== undefined && !(tool.output instanceof z.ZodObject)) {
    throw new DefinitionError(`${where}: output must be a zod object schema`);
  }
  if (typeof tool.handler !== 'function') throw new DefinitionError(`${where}: handler must be a function`);
  if (tool.changesOrgFor !== undefined) {
    if (typeof tool.changesOrgFor !== 'function')
      throw new DefinitionError(`${where}: changesOrgFor must be a function of the input`);
    if (!changesOrg(tool))
      throw new DefinitionError(`${where}: changesOrgFor needs changesOrg true (the tool may change an org)`);
  }
  return tool;
}
