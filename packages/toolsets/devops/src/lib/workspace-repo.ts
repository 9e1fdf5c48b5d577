/**
 * The local clone a git tool works in: a folder of the server's workspace, checked to be a clone of the
 * work item's project repository before anything is run in it.
 */
import { lstat, readdir } from 'node:fs/promises';
import { type OrgHandle, type ToolContext, ToolError } from '@sfmcp/plugin-api';
import type { DevopsCenter, WorkItem } from './devops-center.js';
import { GitRepo, isRepository } from './git.js';
import { redactUrl } from './git-refs.js';

/** Only the local test org hands out file:// repositories; a real org's file:// URL is refused. */
export function allowFileUrls(org: OrgHandle): boolean {
  return org.kind === 'local';
}

function sameRepository(a: string, b: string): boolean {
  const normal = (url: string) =>
    url
      .trim()
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')
      .replace(/^git@([^:]+):/, 'https://$1/')
      .replace(/^ssh:\/\/git@/, 'https://')
      .toLowerCase();
  return normal(a) === normal(b);
}

/** The folder `path` names in the workspace, and whether it is missing or empty (so a clone may go there). */
export async function workspaceFolder(
  ctx: ToolContext,
  path: string,
): Promise<{ dir: string; vacant: boolean }> {
  const dir = ctx.workspace().resolve(path);
  const stats = await lstat(dir).catch(() => undefined);
  if (!stats) return { dir, vacant: true };
  if (!stats.isDirectory())
    throw new ToolError(`${path} is a file, not a folder.`, undefined, { kind: 'invalid' });
  return { dir, vacant: (await readdir(dir)).length === 0 };
}

/** Opens the clone at `path` and checks its origin is the project's repository. */
export async function openProjectClone(
  ctx: ToolContext,
  center: DevopsCenter,
  item: WorkItem,
  path: string,
): Promise<{ repo: GitRepo; url: string }> {
  const { dir, vacant } = await workspaceFolder(ctx, path);
  if (vacant || !(await isRepository(dir, { signal: ctx.signal })))
    throw new ToolError(
      `${path} is not a clone of the project's repository.`,
      'checkout_devops_center_work_item clones it there.',
      { kind: 'not-found' },
    );
  const repo = await GitRepo.open(dir, { signal: ctx.signal });
  const { url } = await center.repository(item.projectId);
  const origin = await repo.remoteUrl({ signal: ctx.signal });
  if (!origin || !sameRepository(origin, url))
    throw new ToolError(
      `${path} is a clone of ${origin ? redactUrl(origin) : 'no remote'}, not of ${item.name}'s repository ${redactUrl(url)}.`,
      'Pass the folder of a clone of the project repository, or an empty folder to clone into.',
      { kind: 'refused' },
    );
  return { repo, url };
}

/** The work item's branch, or why it has none yet. */
export function branchOf(item: WorkItem): string {
  if (item.branch) return item.branch;
  throw new ToolError(
    `${item.name} has no branch yet.`,
    'Set it In Progress (update_devops_center_work_item_status): DevOps Center then creates its branch.',
    { kind: 'refused' },
  );
}

/** The branch of the stage the work item goes to next. */
export function targetBranchOf(item: WorkItem): string {
  const branch = item.nextStage?.branch;
  if (branch) return branch;
  throw new ToolError(
    item.nextStage
      ? `Stage ${item.nextStage.name} has no branch.`
      : `${item.name} has no next stage${item.stage ? `: it is at the last one (${item.stage.name})` : ' (its project has no pipeline)'}.`,
    undefined,
    { kind: 'refused' },
  );
}
