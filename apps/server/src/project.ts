import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type DxProject, ToolError } from '@sfmcp/plugin-api';
import { findDxProjectRoot } from './orgs/sf-state.js';

/** The real path of `path`, or of its nearest existing ancestor joined with the rest (for files not yet written). */
function realPathOfPossiblyNew(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length + 1));
    existing = parent;
  }
  return join(realpathSync(existing), ...rest);
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
}

/**
 * Paths the model passes stay inside the area the server was started for: the DX project holding
 * --project-dir (or --project-dir itself when it is in none).
 */
export class ProjectAccess {
  readonly boundary: string;

  constructor(projectDir: string) {
    const start = realPathOfPossiblyNew(resolve(projectDir));
    this.boundary = findDxProjectRoot(start) ?? start;
  }

  /** Resolves `path` (relative to `base`, default the boundary) and refuses anything outside the boundary. */
  contain(path: string, base: string = this.boundary): string {
    const absolute = realPathOfPossiblyNew(resolve(base, path));
    if (!isInside(absolute, this.boundary)) {
      throw new ToolError(
        `The path ${JSON.stringify(path)} is outside the project (${this.boundary}).`,
        'Use a path inside the project, or restart the server with --project-dir pointing at the right project.',
      );
    }
    return absolute;
  }

  open(directory?: string): DxProject {
    const start = directory ? this.contain(directory) : this.boundary;
    const root = findDxProjectRoot(start, this.boundary);
    if (!root || !isInside(root, this.boundary)) {
      throw new ToolError(
        `No Salesforce DX project (sfdx-project.json) at or above ${start} inside ${this.boundary}.`,
        'Pass the directory of a DX project, or start the server with --project-dir set to one.',
      );
    }
    let config: { packageDirectories?: { path: string; default?: boolean }[]; sourceApiVersion?: string };
    try {
      config = JSON.parse(readFileSync(join(root, 'sfdx-project.json'), 'utf8'));
    } catch (error) {
      throw new ToolError(
        `${join(root, 'sfdx-project.json')} is not valid JSON: ${(error as Error).message}`,
      );
    }
    const directories = [...(config.packageDirectories ?? [])].sort(
      (a, b) => Number(Boolean(b.default)) - Number(Boolean(a.default)),
    );
    return {
      root,
      packageDirectories: directories.map((entry) => this.contain(entry.path, root)),
      sourceApiVersion: config.sourceApiVersion,
      resolve: (path: string) => this.contain(path, root),
    };
  }
}
