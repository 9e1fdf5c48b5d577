import { existsSync } from 'node:fs';
import { type DxProject, ToolError, excerpt } from '@sfmcp/plugin-api';
import { findConfigFile } from './analyzer.js';
import { resolveInProject } from './targets.js';

/**
 * The code-analyzer.yml a call uses, checked to be inside the project (a link leading out is refused):
 * `configPath` when given (it must exist), else the project's own, else none.
 */
export function resolveConfig(project: DxProject, configPath?: string): string | undefined {
  if (configPath !== undefined) {
    const path = resolveInProject(project, configPath);
    if (!existsSync(path))
      throw new ToolError(
        `The config file ${JSON.stringify(excerpt(configPath))} does not exist.`,
        undefined,
        {
          kind: 'not-found',
        },
      );
    return path;
  }
  const found = findConfigFile(project.root);
  return found === undefined ? undefined : project.resolve(found);
}
