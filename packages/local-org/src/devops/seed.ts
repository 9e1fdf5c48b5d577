/** A seed's `devops` section: its records (in createOrgState) and its git repositories (when the org starts). */
import type { SeedDevops } from '../seed/types.js';
import type { LocalOrgState } from '../state/index.js';
import {
  isRelativeFilePath,
  isValidBranchName,
  isValidRepositorySegment,
  type RepositoryBlueprint,
} from './git.js';
import { modelFor } from './models.js';
import { userIdByUsername } from './model.js';
import { WORK_ITEM_STATUSES } from './objects.js';

class DevopsSeedError extends Error {
  constructor(message: string) {
    super(`Seed: devops: ${message}`);
    this.name = 'SeedError';
  }
}

/** Checks what the records and git cannot check themselves (names that become paths and refs). */
export function checkDevopsSeed(seed: SeedDevops): void {
  if (seed.model !== 'platform' && seed.model !== 'managed-package')
    throw new DevopsSeedError(`model must be 'platform' or 'managed-package', not ${String(seed.model)}`);
  const repositories = new Set<string>();
  for (const project of seed.projects) {
    const { owner, name, defaultBranch } = project.repository;
    if (!isValidRepositorySegment(owner) || !isValidRepositorySegment(name))
      throw new DevopsSeedError(`repository ${owner}/${name}: owner and name must be single path segments`);
    const key = `${owner}/${name}`.toLowerCase();
    if (repositories.has(key)) throw new DevopsSeedError(`repository ${owner}/${name} is declared twice`);
    repositories.add(key);
    if (project.pipeline.stages.length === 0)
      throw new DevopsSeedError(`pipeline ${project.pipeline.name} has no stages`);
    for (const branch of [defaultBranch, ...project.pipeline.stages.map((stage) => stage.branch)])
      if (!isValidBranchName(branch))
        throw new DevopsSeedError(`${branch} is not a branch name the org accepts`);
    const paths = [
      ...Object.keys(project.repository.files),
      ...(project.workItems ?? []).flatMap((item) =>
        (item.commits ?? []).flatMap((commit) => [
          ...Object.keys(commit.write ?? {}),
          ...(commit.remove ?? []),
        ]),
      ),
    ];
    for (const path of paths)
      if (!isRelativeFilePath(path))
        throw new DevopsSeedError(`Not a relative file path the local org accepts: ${path}`);
    for (const item of project.workItems ?? [])
      if (!WORK_ITEM_STATUSES.includes(item.status))
        throw new DevopsSeedError(`work item "${item.subject}": unknown status ${String(item.status)}`);
  }
}

/** The seed's projects, pipelines, branches and work items as records (inside the seeding transaction). */
export function seedDevopsRecords(org: LocalOrgState, seed: SeedDevops, gitRoot: string | undefined): void {
  checkDevopsSeed(seed);
  const model = modelFor(org, seed.model);
  for (const project of seed.projects) {
    const projectId = model.createProject(
      {
        name: project.name,
        ...(project.description !== undefined ? { description: project.description } : {}),
        repository: {
          owner: project.repository.owner,
          name: project.repository.name,
          defaultBranch: project.repository.defaultBranch,
          provider: project.repository.provider ?? 'GITHUB',
        },
        pipelineName: project.pipeline.name,
        stages: project.pipeline.stages,
      },
      gitRoot,
    );
    for (const item of project.workItems ?? []) {
      const created = model.createWorkItem(projectId, {
        subject: item.subject,
        description: item.description ?? null,
        status: item.status,
        assigneeId: item.assignee ? userIdByUsername(org, item.assignee) : null,
      });
      if (item.branch || (item.commits?.length ?? 0) > 0) model.linkBranch(created.id, created.name);
    }
  }
}

/**
 * What git has to build for the seed. Work items are named WI-000001, WI-000002... in seed order (a
 * fresh org's auto numbers), and each branch is named after its work item.
 */
export function repositoryBlueprints(seed: SeedDevops): RepositoryBlueprint[] {
  let workItemNumber = 0;
  return seed.projects.map((project) => {
    const featureBranches: RepositoryBlueprint['featureBranches'] = [];
    for (const item of project.workItems ?? []) {
      workItemNumber += 1;
      if (item.branch || (item.commits?.length ?? 0) > 0)
        featureBranches.push({
          name: `WI-${String(workItemNumber).padStart(6, '0')}`,
          commits: item.commits ?? [],
        });
    }
    return {
      owner: project.repository.owner,
      name: project.repository.name,
      defaultBranch: project.repository.defaultBranch,
      stageBranches: [...new Set(project.pipeline.stages.map((stage) => stage.branch))],
      files: project.repository.files,
      featureBranches,
    };
  });
}
