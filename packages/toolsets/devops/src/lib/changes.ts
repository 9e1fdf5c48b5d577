/** What a set of changed files means to DevOps Center: the metadata components they belong to. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError } from '@sfmcp/plugin-api';
import { componentsForPaths, readPackageDirectories } from './components.js';
import type { GitRepo, StatusEntry } from './git.js';

export interface ComponentChange {
  fullName: string;
  type: string;
  operation: 'add' | 'modify' | 'delete';
}

/** The package directories of the project at the root of `repo` (its sfdx-project.json on disk). */
export async function packageDirectoriesOnDisk(repo: GitRepo): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(repo.root, 'sfdx-project.json'), 'utf8');
  } catch {
    throw new ToolError(
      `${repo.root} has no sfdx-project.json: it is not a Salesforce DX project.`,
      undefined,
      {
        kind: 'invalid',
      },
    );
  }
  return readPackageDirectories(text);
}

/** The package directories of the project as `ref` has it. */
export async function packageDirectoriesAt(
  repo: GitRepo,
  ref: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const text = await repo.showFile(ref, 'sfdx-project.json', signal ? { signal } : {});
  if (!text) throw new ToolError(`${ref} has no sfdx-project.json.`, undefined, { kind: 'invalid' });
  return readPackageDirectories(text.toString('utf8'));
}

function operationOf(entry: StatusEntry): ComponentChange['operation'] {
  const letters = `${entry.index}${entry.worktree}`;
  if (letters.includes('D')) return 'delete';
  if (letters.includes('?') || letters.includes('A')) return 'add';
  return 'modify';
}

/**
 * The components the changed files make up, each once: a bundle is modified when any file in it is, and
 * deleted only when every changed file of it is deleted.
 */
export async function componentChanges(
  entries: readonly StatusEntry[],
  packageDirectories: readonly string[],
): Promise<{ changes: ComponentChange[]; otherFiles: string[] }> {
  const mapped = await componentsForPaths(
    entries.map((entry) => entry.path),
    [...packageDirectories],
  );
  const changes = new Map<string, ComponentChange>();
  const otherFiles: string[] = [];
  mapped.forEach((component, index) => {
    const entry = entries[index]!;
    if (!component.type || !component.fullName) {
      otherFiles.push(entry.path);
      return;
    }
    const key = `${component.type}:${component.fullName}`;
    const operation = operationOf(entry);
    const known = changes.get(key);
    if (!known) changes.set(key, { type: component.type, fullName: component.fullName, operation });
    else if (known.operation !== operation) known.operation = 'modify';
  });
  return { changes: [...changes.values()], otherFiles };
}
