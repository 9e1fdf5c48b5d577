import { existsSync } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, matchesGlob, relative, sep } from 'node:path';
import { type DxProject, ToolError, excerpt } from '@sfmcp/plugin-api';

/** Where runs write their results, relative to the project root (a dot folder: no engine scans it). */
export const RESULTS_FOLDER = '.sfmcp/code-analyzer';

const GLOB = /[*?[\]{}]/;

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The project's files as Code Analyzer's workspace sees them (node_modules and dot files and folders left out),
 * relative with '/' separators. Refuses a symbolic link that leads outside the project: the engines would read
 * through it.
 */
export async function workspaceFiles(project: DxProject, signal?: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    if (signal?.aborted) return;
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isSymbolicLink()) {
        const target = await realpath(path).catch(() => undefined);
        if (target === undefined) continue; // dangling: nothing to read
        if (!inside(target, project.root))
          throw new ToolError(
            `Refused: ${relative(project.root, path)} is a symbolic link to a place outside the project, which the engines would read. Nothing was run.`,
            'Remove the link, or analyze a project without links leading out of it.',
            { kind: 'refused', code: 'SYMLINK_OUT_OF_PROJECT' },
          );
        const stats = await lstat(target);
        if (stats.isFile()) files.push(relative(project.root, path).split(sep).join('/'));
        continue; // a linked folder inside the project is scanned where it really is
      }
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(relative(project.root, path).split(sep).join('/'));
    }
  };
  await walk(project.root);
  return files;
}

/**
 * The absolute paths `targets` name: files or folders (through `project.resolve`, which refuses anything outside
 * the project, links included), or globs matched against the workspace's files. Nothing outside is ever returned.
 */
export function resolveTargets(
  project: DxProject,
  targets: readonly string[],
  files: readonly string[],
): string[] {
  const resolved = new Set<string>();
  for (const target of targets) {
    const text = target.trim();
    if (GLOB.test(text)) {
      let pattern = text.replace(/\\/g, '/').replace(/^\.\//, '');
      if (isAbsolute(pattern)) {
        const rel = relative(project.root, pattern).split(sep).join('/');
        if (!inside(pattern, project.root)) throw outside(target);
        pattern = rel;
      }
      if (pattern.split('/').includes('..')) throw outside(target);
      const matched = files.filter((file) => matchesGlob(file, pattern));
      if (matched.length === 0)
        throw new ToolError(`No file in the project matches ${JSON.stringify(excerpt(target))}.`, undefined, {
          kind: 'not-found',
        });
      for (const file of matched) resolved.add(resolveInProject(project, file));
      continue;
    }
    const path = resolveInProject(project, text === '' ? '.' : text);
    if (!existsSync(path))
      throw new ToolError(`${JSON.stringify(excerpt(target))} does not exist in the project.`, undefined, {
        kind: 'not-found',
      });
    resolved.add(path);
  }
  return [...resolved];
}

/**
 * `project.resolve(path)`, refused also when it leaves this DX project for the rest of the server's area (a
 * project nested in the server's, and `..` out of it).
 */
export function resolveInProject(project: DxProject, path: string): string {
  const resolved = project.resolve(path);
  if (!inside(resolved, project.root)) throw outside(path);
  return resolved;
}

function outside(target: string): ToolError {
  return new ToolError(
    `The path ${JSON.stringify(excerpt(target))} is outside the project.`,
    'Use a path or glob inside the project.',
    { kind: 'refused' },
  );
}
