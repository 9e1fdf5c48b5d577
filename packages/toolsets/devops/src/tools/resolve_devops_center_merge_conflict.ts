import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LIMITS, ToolError, budgetAfter, defineTool, formatTable, toolResult, z } from '@sfmcp/plugin-api';
import { packageDirectoriesOnDisk } from '../lib/changes.js';
import { componentsForPaths } from '../lib/components.js';
import { DevopsCenter } from '../lib/devops-center.js';
import { checkRepoPath } from '../lib/git-refs.js';
import { repositoryPath, workItemName } from '../lib/inputs.js';
import { validateDeploy } from '../lib/validate-deploy.js';
import { branchOf, openProjectClone, targetBranchOf } from '../lib/workspace-repo.js';

const CONFLICT_MARKER = /^(<{7}|>{7}) /m;

const resolution = z.object({
  path: z.string().min(1).max(LIMITS.path).describe('A conflicted file, as listed'),
  take: z.enum(['ours', 'theirs', 'merged']).describe("ours: the work item's version; theirs: the stage's"),
  content: z.string().max(LIMITS.source).optional().describe('The merged file, for take: merged'),
});

export const resolveDevopsCenterMergeConflict = defineTool({
  name: 'resolve_devops_center_merge_conflict',
  title: 'Resolve a work item’s merge conflict',
  description:
    "Merges the next stage's branch into the work item's branch in the clone. On conflicts it lists them with both sides; called again with resolutions it applies them, validates that the project deploys (check-only), then commits and pushes.",
  input: z.object({
    workItemName,
    localPath: repositoryPath('Folder of the clone, in the workspace'),
    resolutions: z.array(resolution).max(500).optional(),
    validate: z.boolean().optional().describe('Validation deploy before committing; default true'),
    abort: z.boolean().optional().describe('Abandon the merge in progress'),
  }),
  output: z.object({
    org: z.string(),
    branch: z.string(),
    target: z.string(),
    state: z.enum(['conflicts', 'merged', 'up-to-date', 'validation-failed', 'aborted', 'validating']),
    conflicts: z.array(
      z.object({ path: z.string(), type: z.string().optional(), fullName: z.string().optional() }),
    ),
    commit: z.string().optional(),
    validationId: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  changesOrg: false,
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const item = await center.workItem(input.workItemName);
    const branch = branchOf(item);
    const target = targetBranchOf(item);
    // Paths are checked before anything runs: one that leaves the repository is refused outright.
    for (const entry of input.resolutions ?? []) checkRepoPath(entry.path);
    const { repo } = await openProjectClone(ctx, center, item, input.localPath);
    const signal = ctx.signal;
    const result = (
      state: 'conflicts' | 'merged' | 'up-to-date' | 'validation-failed' | 'aborted' | 'validating',
      text: string,
      extra: {
        conflicts?: { path: string; type?: string; fullName?: string }[];
        commit?: string;
        validationId?: string;
      } = {},
    ) =>
      toolResult({
        text,
        structured: {
          org: org.username,
          branch,
          target,
          state,
          conflicts: extra.conflicts ?? [],
          ...(extra.commit ? { commit: extra.commit } : {}),
          ...(extra.validationId ? { validationId: extra.validationId } : {}),
        },
        org,
      });

    if (input.abort) {
      if (!(await repo.isMerging({ signal })))
        return result('aborted', 'No merge is in progress; nothing to abort.');
      await repo.abortMerge({ signal });
      return result(
        'aborted',
        `Aborted the merge of ${target} into ${branch}; the clone is as it was before it.`,
      );
    }

    if (!(await repo.isMerging({ signal }))) {
      if (input.resolutions?.length)
        throw new ToolError(
          'No merge is in progress, so there is nothing to resolve.',
          'Call without resolutions first: it starts the merge and lists the conflicts.',
          { kind: 'invalid' },
        );
      if ((await repo.currentBranch({ signal })) !== branch) await repo.switchTo(branch, { signal });
      await repo.fetch('origin', [], { signal });
      const started = await repo.startMerge(`origin/${target}`, { signal });
      if (started.alreadyUpToDate)
        return result(
          'up-to-date',
          `${branch} already contains ${target}: nothing to merge. Promote it again.`,
        );
      if (started.conflicts.length > 0) return listConflicts(started.conflicts);
    } else if (input.resolutions?.length) {
      const conflicted = new Set(await repo.conflictedPaths({ signal }));
      // Every resolution is checked before any is applied: a bad one changes nothing.
      for (const entry of input.resolutions) {
        if (!conflicted.has(entry.path))
          throw new ToolError(
            `${entry.path} is not in conflict (conflicted: ${[...conflicted].join(', ') || 'none'}). Nothing was changed.`,
            undefined,
            { kind: 'invalid' },
          );
        if (entry.take === 'merged' && entry.content === undefined)
          throw new ToolError(
            `${entry.path}: take merged needs the merged content. Nothing was changed.`,
            undefined,
            { kind: 'invalid' },
          );
        if (entry.take === 'merged' && CONFLICT_MARKER.test(entry.content ?? ''))
          throw new ToolError(
            `${entry.path}: the merged content still has conflict markers. Nothing was changed.`,
            undefined,
            { kind: 'invalid' },
          );
      }
      const project = await ctx.project(repo.root);
      for (const entry of input.resolutions) {
        if (entry.take === 'merged') {
          await project.writeFile(join(repo.root, entry.path), entry.content ?? '', { overwrite: true });
          await repo.markResolved(entry.path, { signal });
        } else {
          await repo.takeSide(entry.path, entry.take, { signal });
        }
      }
    }

    const remaining = await repo.conflictedPaths({ signal });
    if (remaining.length > 0) return listConflicts(remaining);

    if (input.validate !== false) {
      const directories = (await packageDirectoriesOnDisk(repo)).map((directory) =>
        join(repo.root, directory),
      );
      const validation = await validateDeploy(ctx, org, directories);
      if (!validation.done)
        return result(
          'validating',
          `The validation deploy ${validation.id} is still running; the merge stays uncommitted. Call again to validate once more, or with validate: false to commit without it.`,
          { validationId: validation.id },
        );
      if (!validation.success)
        return result(
          'validation-failed',
          `Conflicts resolved, but the merged project does not deploy to ${org.label} (validation ${validation.id}); nothing was committed:\n${formatTable(
            validation.failures.map((failure) => ({
              Type: failure.type,
              Component: failure.fullName,
              Line: failure.line ?? '',
              Problem: failure.problem,
            })),
          )}\nFix the files in the clone, then call again (no resolutions needed).`,
          { validationId: validation.id },
        );
      ctx.log.info(`validation ${validation.id} passed for ${validation.components} components`);
    }
    await repo.stageAll({ signal });
    const commit = await repo.finishMerge(`Merge ${target} into ${branch}`, { signal });
    await repo.push(branch, { signal });
    return result(
      'merged',
      `Merged ${target} into ${branch} (${commit.slice(0, 10)})${input.validate !== false ? ', validated against the org,' : ''} and pushed. Next: promote_devops_center_work_item again.`,
      { commit },
    );

    async function listConflicts(paths: string[]) {
      const directories = await packageDirectoriesOnDisk(repo).catch(() => []);
      const components = await componentsForPaths(paths, directories);
      const conflicts = paths.map((path, index) => ({
        path,
        ...(components[index]?.type ? { type: components[index].type } : {}),
        ...(components[index]?.fullName ? { fullName: components[index].fullName } : {}),
      }));
      // Each conflicted file as the merge left it (both sides between markers), within the budget.
      let budget = budgetAfter(ctx) - 600;
      const shown: string[] = [];
      for (const path of paths) {
        const content = await readFile(join(repo.root, path), 'utf8').catch(() => '(deleted on one side)');
        const block = `--- ${path}\n${content}`;
        if (block.length > budget) {
          shown.push(`--- ${path} (${content.length} characters; read it in the clone)`);
          continue;
        }
        budget -= block.length;
        shown.push(block);
      }
      return result(
        'conflicts',
        `Merging ${target} into ${branch} stopped at ${paths.length} conflicted file${paths.length === 1 ? '' : 's'} (the merge is in progress in the clone):\n${formatTable(
          conflicts.map((conflict) => ({
            File: conflict.path,
            Component: conflict.type ? `${conflict.type} ${conflict.fullName}` : '',
          })),
        )}\n${shown.join('\n')}\nCall again with resolutions (ours: the work item's side, theirs: ${target}'s, or merged content), or abort: true.`,
        { conflicts },
      );
    }
  },
});
