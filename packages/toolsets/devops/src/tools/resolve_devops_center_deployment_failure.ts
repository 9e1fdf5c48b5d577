import { join } from 'node:path';
import {
  LIMITS,
  type ToolContext,
  ToolError,
  defineTool,
  formatTable,
  toolResult,
  z,
} from '@sfmcp/plugin-api';
import { packageDirectoriesAt } from '../lib/changes.js';
import { findComponent } from '../lib/components.js';
import { isMergeConflict, parseDeployErrors } from '../lib/deploy-errors.js';
import { DevopsCenter, type WorkItem } from '../lib/devops-center.js';
import type { GitRepo } from '../lib/git.js';
import { checkBranchName } from '../lib/git-refs.js';
import { repositoryPath, workItemName } from '../lib/inputs.js';
import { branchOf, openProjectClone } from '../lib/workspace-repo.js';

/** How many other work items' branches are searched for a missing component. */
const OTHER_BRANCHES = 30;

interface Finding {
  type: string;
  name: string;
  /** Where it is: the branches holding it. */
  onSource: string[];
  onTarget: boolean;
  onWorkItem: boolean;
  inOtherWorkItems: string[];
  fix: string;
}

export const resolveDevopsCenterDeploymentFailure = defineTool({
  name: 'resolve_devops_center_deployment_failure',
  title: 'Diagnose a failed promotion',
  description:
    "Reads a failed promotion's errors, finds each missing component in the source, target, work item and other work items' branches (the project's package directories, via git), and says the fix; apply: true copies the missing files from the source branch onto the work item's branch and pushes.",
  input: z.object({
    workItemName,
    sourceBranchName: z.string().min(1).max(200),
    targetBranchName: z.string().max(200).optional().describe("Default: the next stage's branch"),
    errorDetails: z.string().min(1).max(LIMITS.text).describe('The errors, as text or JSON'),
    localPath: repositoryPath('Folder of a clone, in the workspace; needed to check the branches').optional(),
    apply: z.boolean().optional(),
  }),
  output: z.object({
    org: z.string(),
    mergeConflict: z.boolean(),
    errors: z.array(
      z.object({ component: z.string().optional(), problem: z.string(), missing: z.string().optional() }),
    ),
    findings: z.array(
      z.object({
        type: z.string(),
        name: z.string(),
        onSource: z.boolean(),
        onTarget: z.boolean(),
        onWorkItem: z.boolean(),
        inOtherWorkItems: z.array(z.string()),
        fix: z.string(),
      }),
    ),
    commit: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  changesOrg: false,
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const item = await center.workItem(input.workItemName);
    const source = checkBranchName(input.sourceBranchName, 'source branch');
    const target = checkBranchName(input.targetBranchName ?? item.nextStage?.branch ?? '', 'target branch');
    const mergeConflict = isMergeConflict(input.errorDetails);
    const parsed = parseDeployErrors(input.errorDetails);
    const errors = parsed.map((error) => ({
      ...(error.componentType || error.fullName
        ? { component: [error.componentType, error.fullName].filter(Boolean).join(' ') }
        : {}),
      problem: error.problem,
      ...(error.missing ? { missing: `${error.missing.type} ${error.missing.name}` } : {}),
    }));
    const structured = (findings: Finding[], commit?: string) => ({
      org: org.username,
      mergeConflict,
      errors,
      findings: findings.map((finding) => ({ ...finding, onSource: finding.onSource.length > 0 })),
      ...(commit ? { commit } : {}),
    });
    const errorTable = errors.length
      ? formatTable(errors.map((error) => ({ Component: error.component ?? '', Problem: error.problem })))
      : 'No component errors could be read from errorDetails.';
    if (mergeConflict)
      return toolResult({
        text: `The promotion failed on a merge conflict, which a redeploy cannot fix.\n${errorTable}\nNext: detect_devops_center_merge_conflict, then resolve_devops_center_merge_conflict.`,
        structured: structured([]),
        org,
      });
    const missing = uniqueMissing(parsed);
    if (missing.length === 0)
      return toolResult({
        text: `${errorTable}\nNo error names a missing component: fix these in the work item's branch (checkout_devops_center_work_item), commit, and promote again.`,
        structured: structured([]),
        org,
      });
    if (!input.localPath)
      return toolResult({
        text: `${errorTable}\nMissing: ${missing.map((entry) => `${entry.type} ${entry.name}`).join(', ')}.\nPass localPath (a clone of the repository) to find where they are.`,
        structured: structured([]),
        org,
      });

    const { repo } = await openProjectClone(ctx, center, item, input.localPath);
    const signal = ctx.signal;
    await repo.fetch('origin', [], { signal });
    const ref = async (branch: string) =>
      (await repo.remoteBranchExists(branch, { signal })) ? `origin/${branch}` : branch;
    const sourceRef = await ref(source);
    const directories = await packageDirectoriesAt(repo, sourceRef, signal);
    const filesAt = memo((branch: string) =>
      repo.listFiles(branch, [], { signal }).catch(() => [] as string[]),
    );
    const others = await otherBranches(center, item, repo, signal);
    const workItemBranch = item.branch ? `origin/${item.branch}` : undefined;

    const findings: Finding[] = [];
    for (const entry of missing) {
      const locate = async (branch: string) =>
        findComponent(entry.type, entry.name, await filesAt(branch), directories);
      const onSource = await locate(sourceRef);
      const onTarget = (await locate(`origin/${target}`)).length > 0;
      const onWorkItem = workItemBranch ? (await locate(workItemBranch)).length > 0 : false;
      const inOtherWorkItems: string[] = [];
      for (const other of others)
        if ((await locate(`origin/${other.branch}`)).length > 0) inOtherWorkItems.push(other.name);
      const fix = onTarget
        ? `already on ${target}: the error has another cause (check its spelling and access)`
        : inOtherWorkItems.length
          ? `it comes with ${inOtherWorkItems.join(', ')}: promote ${inOtherWorkItems.length === 1 ? 'it' : 'them'} first or together`
          : onSource.length && !onWorkItem
            ? `on ${source} but not in ${item.name}: apply: true copies it onto the work item's branch; or promote with isFullDeploy: true`
            : onWorkItem
              ? `in ${item.name} already: promote with isFullDeploy: true`
              : `in no branch: create it in the work item (or retrieve it from the org that has it), commit, promote again`;
      findings.push({
        type: entry.type,
        name: entry.name,
        onSource,
        onTarget,
        onWorkItem,
        inOtherWorkItems,
        fix,
      });
    }

    let commit: string | undefined;
    const copyable = findings.filter(
      (finding) => finding.onSource.length && !finding.onWorkItem && !finding.onTarget,
    );
    if (input.apply && copyable.length) commit = await copyOntoWorkItem(ctx, repo, item, sourceRef, copyable);
    const text = [
      errorTable,
      formatTable(
        findings.map((finding) => ({ Missing: `${finding.type} ${finding.name}`, Fix: finding.fix })),
      ),
      commit
        ? `Copied ${copyable.map((finding) => finding.name).join(', ')} from ${source} onto ${branchOf(item)} (${commit.slice(0, 10)}) and pushed. Next: commit_devops_center_work_item is not needed; promote again.`
        : input.apply
          ? 'Nothing to copy: no missing component is on the source branch alone.'
          : '',
    ];
    return toolResult({
      text: text.filter(Boolean).join('\n'),
      structured: structured(findings, commit),
      org,
    });
  },
});

function uniqueMissing(parsed: ReturnType<typeof parseDeployErrors>): { type: string; name: string }[] {
  const seen = new Map<string, { type: string; name: string }>();
  for (const error of parsed)
    if (error.missing) seen.set(`${error.missing.type}:${error.missing.name}`, error.missing);
  return [...seen.values()];
}

function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let value = cache.get(key);
    if (!value) cache.set(key, (value = load(key)));
    return value;
  };
}

/** The project's other work items whose branches are on the remote. */
async function otherBranches(center: DevopsCenter, item: WorkItem, repo: GitRepo, signal: AbortSignal) {
  const items = (await center.listWorkItems(item.projectId)).filter(
    (other) => other.id !== item.id && other.branch && !['PROMOTED', 'CLOSED'].includes(other.status),
  );
  const present: { name: string; branch: string }[] = [];
  for (const other of items.slice(0, OTHER_BRANCHES))
    if (await repo.remoteBranchExists(other.branch!, { signal }))
      present.push({ name: other.name, branch: other.branch! });
  return present;
}

/** Takes the files from the source branch onto the work item's branch, commits and pushes them. */
async function copyOntoWorkItem(
  ctx: ToolContext,
  repo: GitRepo,
  item: WorkItem,
  sourceRef: string,
  findings: Finding[],
): Promise<string> {
  const signal = ctx.signal;
  const branch = branchOf(item);
  if ((await repo.currentBranch({ signal })) !== branch) await repo.switchTo(branch, { signal });
  if (await repo.isDirty({ signal }))
    throw new ToolError(
      'The clone has uncommitted changes; nothing was copied.',
      'Commit or stash them first.',
      { kind: 'refused' },
    );
  const project = await ctx.project(repo.root);
  const files = findings.flatMap((finding) => finding.onSource);
  const contents = await Promise.all(
    files.map(async (file) => ({ file, content: await repo.showFile(sourceRef, file, { signal }) })),
  );
  for (const { file, content } of contents) {
    if (!content)
      throw new ToolError(`${file} vanished from ${sourceRef}; nothing was copied.`, undefined, {
        kind: 'failed',
      });
  }
  for (const { file, content } of contents)
    await project.writeFile(join(repo.root, file), content!, { overwrite: true });
  await repo.stageAll({ signal });
  const commit = await repo.commit(
    `Add ${findings.map((finding) => `${finding.type} ${finding.name}`).join(', ')} from ${sourceRef} (missing in the promotion of ${item.name})`,
    { signal },
  );
  await repo.push(branch, { signal });
  return commit;
}
