import { LIMITS, ToolError, defineTool, formatTable, toolResult, z } from '@sfmcp/plugin-api';
import { componentChanges, packageDirectoriesOnDisk } from '../lib/changes.js';
import { DevopsCenter } from '../lib/devops-center.js';
import { repositoryPath, workItemName } from '../lib/inputs.js';
import { branchOf, openProjectClone } from '../lib/workspace-repo.js';

export const commitDevopsCenterWorkItem = defineTool({
  name: 'commit_devops_center_work_item',
  title: 'Commit a work item’s changes',
  description:
    "Stages every change in the clone, commits it on the work item's branch, pushes, and registers the commit and its metadata components with DevOps Center. Returns the request id to follow.",
  input: z.object({
    workItemName,
    commitMessage: z.string().trim().min(1).max(LIMITS.text),
    repoPath: repositoryPath('Folder of the clone, in the workspace'),
  }),
  output: z.object({
    org: z.string(),
    commit: z.string(),
    branch: z.string(),
    requestId: z.string(),
    status: z.string(),
    components: z.array(z.object({ type: z.string(), fullName: z.string(), operation: z.string() })),
    otherFiles: z.array(z.string()),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const item = await center.workItem(input.workItemName);
    const branch = branchOf(item);
    const { repo } = await openProjectClone(ctx, center, item, input.repoPath);
    const signal = ctx.signal;
    const current = await repo.currentBranch({ signal });
    if (current !== branch)
      throw new ToolError(
        `The clone is on ${current ?? 'a detached HEAD'}, not on ${item.name}'s branch ${branch}. Nothing was committed.`,
        'checkout_devops_center_work_item switches to it (your changes must be committed or stashed first).',
        { kind: 'refused' },
      );
    if (await repo.isMerging({ signal }))
      throw new ToolError(
        'A merge is in progress in the clone. Nothing was committed.',
        'Finish it with resolve_devops_center_merge_conflict.',
        { kind: 'refused' },
      );
    const entries = await repo.status({ signal });
    if (entries.length === 0)
      throw new ToolError(`Nothing to commit: the clone has no changes on ${branch}.`, undefined, {
        kind: 'invalid',
        code: 'NOTHING_TO_COMMIT',
      });
    const { changes, otherFiles } = await componentChanges(entries, await packageDirectoriesOnDisk(repo));
    await repo.stageAll({ signal });
    const commit = await repo.commit(input.commitMessage, { signal });
    try {
      await repo.push(branch, { signal });
    } catch (error) {
      throw new ToolError(
        `Committed ${commit.slice(0, 10)} on ${branch} locally, but the push failed, so nothing was registered with DevOps Center: ${(error as Error).message}`,
        'Fix the push (credentials, or pull first), then push and call again with the next change.',
        { kind: 'failed' },
      );
    }
    const request = await center.registerCommit(item, {
      commitId: commit,
      commitMessage: input.commitMessage,
      changes,
    });
    const text = [
      `Committed ${commit.slice(0, 10)} on ${branch}, pushed, and registered with DevOps Center: request ${request.requestId} ${request.status}.`,
      request.message ?? '',
      changes.length
        ? formatTable(
            changes.map((change) => ({
              Type: change.type,
              Component: change.fullName,
              Change: change.operation,
            })),
          )
        : 'No metadata components changed.',
      otherFiles.length ? `Other files: ${otherFiles.join(', ')}` : '',
      'Next: create_devops_center_pull_request.',
    ];
    return toolResult({
      text: text.filter(Boolean).join('\n'),
      structured: {
        org: org.username,
        commit,
        branch,
        requestId: request.requestId,
        status: request.status,
        components: changes,
        otherFiles,
      },
      org,
    });
  },
});
