import { defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { DevopsCenter } from '../lib/devops-center.js';
import { clone } from '../lib/git.js';
import { redactUrl } from '../lib/git-refs.js';
import { repositoryPath, workItemName } from '../lib/inputs.js';
import { allowFileUrls, branchOf, openProjectClone, workspaceFolder } from '../lib/workspace-repo.js';

export const checkoutDevopsCenterWorkItem = defineTool({
  name: 'checkout_devops_center_work_item',
  title: 'Check out a work item’s branch',
  description:
    "Clones the project's repository into localPath (when missing or empty) or fetches it, and checks out the work item's branch, fast-forwarded. Never discards local changes.",
  input: z.object({
    workItemName,
    localPath: repositoryPath('Folder of the clone, in the workspace'),
  }),
  output: z.object({
    org: z.string(),
    path: z.string(),
    branch: z.string(),
    commit: z.string(),
    action: z.enum(['cloned', 'switched', 'updated']),
    behind: z.number(),
    ahead: z.number(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  changesOrg: false,
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const item = await center.workItem(input.workItemName);
    const branch = branchOf(item);
    const { dir, vacant } = await workspaceFolder(ctx, input.localPath);
    const signal = ctx.signal;
    if (vacant) {
      const { url } = await center.repository(item.projectId);
      await ctx.progress(0, undefined, `Cloning ${redactUrl(url)}`);
      const repo = await clone(url, dir, { branch, allowFile: allowFileUrls(org), signal });
      const commit = await repo.headCommit({ signal });
      return toolResult({
        text: `Cloned ${redactUrl(url)} into ${input.localPath} and checked out ${branch} at ${commit.slice(0, 10)}.\nNext: make the change, then commit_devops_center_work_item.`,
        structured: {
          org: org.username,
          path: dir,
          branch,
          commit,
          action: 'cloned' as const,
          behind: 0,
          ahead: 0,
        },
        org,
      });
    }
    const { repo } = await openProjectClone(ctx, center, item, input.localPath);
    const before = await repo.currentBranch({ signal });
    await repo.fetch('origin', [], { signal });
    const switched = await repo.switchTo(branch, { signal });
    const commit = await repo.headCommit({ signal });
    const action = before === branch ? ('updated' as const) : ('switched' as const);
    const lines = [
      `${action === 'updated' ? 'Updated' : `Switched from ${before ?? 'a detached HEAD'} to`} ${branch} in ${input.localPath}, at ${commit.slice(0, 10)}.`,
      switched.fastForwarded ? `Fast-forwarded ${switched.behind} commits from origin.` : '',
      switched.diverged
        ? `The local branch and origin have diverged (${switched.ahead} local, ${switched.behind} remote commits): nothing was merged.`
        : switched.ahead > 0
          ? `${switched.ahead} local commits are not pushed yet.`
          : '',
    ];
    return toolResult({
      text: lines.filter(Boolean).join('\n'),
      structured: {
        org: org.username,
        path: repo.root,
        branch,
        commit,
        action,
        behind: switched.fastForwarded ? 0 : switched.behind,
        ahead: switched.ahead,
      },
      org,
    });
  },
});
