import type { AnyTool } from '@sfmcp/plugin-api';
import { serverArguments } from '@sfmcp/plugin-api/manifest';
import { effectiveInputSchema, validationSchema } from '../registry.js';

export function formatZodIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join('.') : 'input';
      // zod says a missing argument was "received undefined": say that it is required.
      const missing = /^Invalid input: expected (.+), received undefined$/.exec(issue.message);
      const said = missing ? `required (${missing[1]})` : issue.message;
      // A message quotes what it got; a huge or hostile value must not come back whole.
      const message = said.length > 300 ? `${said.slice(0, 300)}…` : said;
      return `${where}: ${message}`;
    })
    .join('; ');
}

/** Where an argument holds a string that no Salesforce API can take (an unpaired UTF-16 surrogate). */
function findMalformedString(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path || 'input';
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findMalformedString(item, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

type JsonSchema = Record<string, unknown>;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
}

function acceptsType(schema: JsonSchema, type: string): boolean {
  if (schema.type === undefined) return true;
  const types = [schema.type].flat();
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

/**
 * The bounds of the published schema (maxLength, maxItems), checked before zod: zod runs every check of a
 * string even after its length failed, and a pattern over a megabyte can take seconds. Linear in the input.
 */
export function boundsProblem(schema: JsonSchema, value: unknown, path = ''): string | undefined {
  const where = path || 'input';
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches) {
    const fitting = branches.filter((branch) => acceptsType(branch, jsonType(value)));
    const problems = fitting.map((branch) => boundsProblem(branch, value, path));
    return problems.length && problems.every(Boolean) ? problems[0] : undefined;
  }
  if (typeof value === 'string') {
    const max = schema.maxLength;
    return typeof max === 'number' && value.length > max
      ? `${where}: too long (${value.length} characters; at most ${max})`
      : undefined;
  }
  if (Array.isArray(value)) {
    const max = schema.maxItems;
    if (typeof max === 'number' && value.length > max)
      return `${where}: too many entries (${value.length}; at most ${max})`;
    const items = schema.items as JsonSchema | undefined;
    if (!items) return undefined;
    for (let index = 0; index < value.length; index++) {
      const problem = boundsProblem(items, value[index], `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const extra =
      typeof schema.additionalProperties === 'object'
        ? (schema.additionalProperties as JsonSchema)
        : undefined;
    const keyMax = (schema.propertyNames as JsonSchema | undefined)?.maxLength;
    for (const [key, item] of Object.entries(value)) {
      if (typeof keyMax === 'number' && key.length > keyMax)
        return `${where}: a key is too long (${key.length} characters; at most ${keyMax})`;
      const child = properties[key] ?? extra;
      const problem = child ? boundsProblem(child, item, path ? `${path}.${key}` : key) : undefined;
      if (problem) return problem;
    }
  }
  return undefined;
}

export type Validated =
  | {
      ok: true;
      /** What the handler gets: the tool's own arguments. */
      input: Record<string, unknown>;
      confirmationToken?: string;
      /** The shared arguments the server gave the tool, for ctx.org() and ctx.project(). */
      usernameOrAlias?: string;
      directory?: string;
    }
  | { ok: false; message: string };

/** The input stage: the tool's schema (plus the server's arguments), and text every API can carry. */
export function validateInput(tool: AnyTool, args: Record<string, unknown>): Validated {
  const malformed = findMalformedString(args, '');
  if (malformed) {
    return {
      ok: false,
      message: `Invalid arguments for ${tool.name}: ${malformed}: contains an unpaired UTF-16 surrogate (not valid Unicode text).`,
    };
  }
  const bounds = boundsProblem(validationSchema(tool), args);
  if (bounds) return { ok: false, message: `Invalid arguments for ${tool.name}: ${bounds}` };
  const parsed = effectiveInputSchema(tool).safeParse(args);
  if (!parsed.success)
    return { ok: false, message: `Invalid arguments for ${tool.name}: ${formatZodIssues(parsed.error)}` };
  const { confirmationToken, ...input } = parsed.data as Record<string, unknown> & {
    confirmationToken?: string;
  };
  const shared = serverArguments(tool);
  const usernameOrAlias = shared.org ? (input.usernameOrAlias as string | undefined) : undefined;
  const directory = shared.directory ? (input.directory as string | undefined) : undefined;
  if (shared.org) delete input.usernameOrAlias;
  if (shared.directory) delete input.directory;
  return {
    ok: true,
    input,
    ...(confirmationToken ? { confirmationToken } : {}),
    ...(usernameOrAlias !== undefined ? { usernameOrAlias } : {}),
    ...(directory !== undefined ? { directory } : {}),
  };
}
