import { ToolError, defineTool, formatTable, toolResult, z } from '@sfmcp/plugin-api';
import { componentsForPaths } from '../lib/components.js';
import { packageDirectoriesAt } from '../lib/changes.js';
import { DevopsCenter } from '../lib/devops-center.js';
import { GitRepo } from '../lib/git.js';
import { checkBranchName } from '../lib/git-refs.js';
import { repositoryPath, workItemName } from '../lib/inputs.js';
import { branchOf, openProjectClone, targetBranchOf, workspaceFolder } from '../lib/workspace-repo.js';

export const detectDevopsCenterMergeConflict = defineTool({
  name: 'detect_devops_center_merge_conflict',
  title: 'Find merge conflicts before promoting',
  description:
    "Finds, with git and without a checkout, the files where the work item's branch (or sourcebranch) conflicts with its next stage's branch (or targetBranch), each with its metadata component.",
  input: z.object({
    localPath: repositoryPath('Folder of a clone, in the workspace'),
    workItemName: workItemName.optional(),
    sourcebranch: z.string().max(200).optional().describe("Default: the work item's branch"),
    targetBranch: z.string().max(200).optional().describe("Default: the next stage's branch"),
  }),
  output: z.object({
    source: z.string(),
    target: z.string(),
    clean: z.boolean(),
    conflicts: z.array(
      z.object({
        path: z.string(),
        kind: z.string(),
        type: z.string().optional(),
        fullName: z.string().optional(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const signal = ctx.signal;
    let repo: GitRepo;
    let source = input.sourcebranch;
    let target = input.targetBranch;
    let org;
    if (input.workItemName) {
      org = await ctx.org();
      const center = await DevopsCenter.open(org);
      const item = await center.workItem(input.workItemName);
      repo = (await openProjectClone(ctx, center, item, input.localPath)).repo;
      source ??= branchOf(item);
      target ??= targetBranchOf(item);
    } else {
      const { dir } = await workspaceFolder(ctx, input.localPath);
      repo = await GitRepo.open(dir, { signal });
      source ??= await repo.currentBranch({ signal });
      if (!source || !target)
        throw new ToolError(
          'Name the branches: pass workItemName, or sourcebranch and targetBranch.',
          undefined,
          {
            kind: 'invalid',
          },
        );
    }
    checkBranchName(source, 'source branch');
    checkBranchName(target, 'target branch');
    await repo.fetch('origin', [], { signal });
    // The remote's branches are what a promotion merges; a source branch not pushed yet is taken locally.
    const theirs = (await repo.remoteBranchExists(source, { signal })) ? `origin/${source}` : source;
    const ours = `origin/${target}`;
    const result = await repo.mergeTreeConflicts(ours, theirs, { signal });
    const packageDirectories = await packageDirectoriesAt(repo, ours, signal).catch(() => []);
    const components = await componentsForPaths(
      result.conflicts.map((conflict) => conflict.path),
      packageDirectories,
    );
    const conflicts = result.conflicts.map((conflict, index) => ({
      path: conflict.path,
      kind: conflict.kind,
      ...(components[index]?.type ? { type: components[index].type } : {}),
      ...(components[index]?.fullName ? { fullName: components[index].fullName } : {}),
    }));
    const text = result.clean
      ? `${source} merges cleanly into ${target}: no conflicts.`
      : `${source} conflicts with ${target} in ${conflicts.length} file${conflicts.length === 1 ? '' : 's'}:\n${formatTable(
          conflicts.map((conflict) => ({
            File: conflict.path,
            Component: conflict.type ? `${conflict.type} ${conflict.fullName}` : '',
            Conflict: conflict.kind,
          })),
        )}\nNext: resolve_devops_center_merge_conflict.`;
    return toolResult({
      text,
      structured: { source, target, clean: result.clean, conflicts },
      ...(org ? { org } : {}),
    });
  },
});
