import { existsSync, readFileSync } from 'node:fs';
import type { ParseError } from 'jsonc-parser';
import { join } from 'node:path';
import type { Policy } from './schema.js';

/** The policy file a project holds when --policy is not given. */
export const POLICY_FILE_NAME = 'sfmcp.policy.json';

/** A policy file with a mistake: its message names the file, the line and the column. */
export class PolicyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyFileError';
  }
}

export interface LoadedPolicy {
  policy: Policy;
  /** The file it came from. */
  path: string;
  /** The line where each rule starts (`orgs[0]`, `default`), for refusals. */
  lines: ReadonlyMap<string, number>;
}

/** Where a policy comes from: --policy, else sfmcp.policy.json in the project, else none. */
export function policyPath(explicit: string | undefined, projectDir: string): string | undefined {
  if (explicit) return explicit;
  const inProject = join(projectDir, POLICY_FILE_NAME);
  return existsSync(inProject) ? inProject : undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * Reads and checks a policy file. jsonc-parser (loaded only when there is a policy) gives each value's
 * position, so a mistake is named by its line: `sfmcp.policy.json:12:17: orgs[1].writes: expected boolean`.
 */
export async function loadPolicy(path: string): Promise<LoadedPolicy> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyFileError(
      `cannot read the policy ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const { parseTree, findNodeAtLocation, printParseErrorCode } = await import('jsonc-parser');
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const where = (offset: number) => {
    const { line, column } = lineAndColumn(text, offset);
    return `${path}:${line}:${column}`;
  };
  const first = errors[0];
  if (first || !tree) {
    const problem = first
      ? printParseErrorCode(first.error)
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .toLowerCase()
      : 'empty file';
    throw new PolicyFileError(
      `${where(first?.offset ?? 0)}: the policy is not valid JSON (${problem}). Fix it, or start without --policy.`,
    );
  }
  const raw: unknown = JSON.parse(text);
  const { PolicySchema } = await import('./schema.js');
  const parsed = PolicySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // The deepest node that exists along the issue's path (a missing key: its object).
    let path_ = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    // An unknown key: its own line, not its object's.
    let node =
      issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined
        ? findNodeAtLocation(tree, [...path_, issue.keys[0]])?.parent
        : findNodeAtLocation(tree, path_);
    while (!node && path_.length) {
      path_ = path_.slice(0, -1);
      node = findNodeAtLocation(tree, path_);
    }
    const at = issue.path.length
      ? issue.path
          .map((part, index) =>
            typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`,
          )
          .join('')
      : 'the policy';
    // A union (one kind or a list of kinds) says only "Invalid input": its first alternative says what fits.
    const message =
      issue.code === 'invalid_union' && issue.errors[0]?.[0] ? issue.errors[0][0].message : issue.message;
    throw new PolicyFileError(
      `${where(node?.offset ?? 0)}: ${at}: ${message}. See policy.schema.json for what a policy may say.`,
    );
  }
  const lines = new Map<string, number>();
  (parsed.data.orgs ?? []).forEach((_rule, index) => {
    const node = findNodeAtLocation(tree, ['orgs', index]);
    if (node) lines.set(`orgs[${index}]`, lineAndColumn(text, node.offset).line);
  });
  const fallback = findNodeAtLocation(tree, ['default']);
  if (fallback) lines.set('default', lineAndColumn(text, fallback.offset).line);
  return { policy: parsed.data, path, lines };
}
