/** The DevOps Center model on the standard objects (DevopsProject, WorkItem, DevopsPipelineStage...). */
import type { LocalOrgState } from '../state/index.js';
import type { StoredRecord } from '../state/types.js';
import {
  fileUrl,
  orderStages,
  recordOf,
  rowsWhere,
  type DevopsModel,
  type PipelineInfo,
  type ProjectSpec,
  type PromotionRecord,
  type RepositoryInfo,
  type WorkItemInfo,
} from './model.js';
import type { WorkItemStatus } from './objects.js';

const PROVIDER_NAMES = { GITHUB: 'GitHub', BITBUCKET: 'Bitbucket' } as const;

export function platformModel(org: LocalOrgState): DevopsModel {
  const { records } = org;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

  function repositoryInfo(repositoryId: unknown): RepositoryInfo | undefined {
    const row = recordOf(org, 'SourceCodeRepository', repositoryId);
    if (!row) return undefined;
    return {
      id: row.Id,
      owner: text(row.RepositoryOwner) ?? '',
      name: text(row.ExternalRepositoryName) ?? text(row.Name) ?? '',
      defaultBranch: text(row.DefaultBranch) ?? 'main',
    };
  }

  function pipelineInfo(row: StoredRecord): PipelineInfo {
    const link = rowsWhere(org, 'DevopsProjectPipeline', 'DevopsPipelineId', row.Id)[0];
    const stageRows = rowsWhere(org, 'DevopsPipelineStage', 'DevopsPipelineId', row.Id);
    const stages = orderStages(
      stageRows.map((stage) => ({
        id: stage.Id,
        name: text(stage.Name) ?? '',
        branch: text(recordOf(org, 'SourceCodeRepositoryBranch', stage.SourceCodeRepositoryBranchId)?.Name),
        nextStageId: text(stage.NextStageId) ?? null,
      })),
    );
    const firstBranch = stageRows
      .map((stage) => recordOf(org, 'SourceCodeRepositoryBranch', stage.SourceCodeRepositoryBranchId))
      .find((branch) => branch !== undefined);
    return {
      id: row.Id,
      name: text(row.Name) ?? '',
      projectId: text(link?.DevopsProjectId) ?? '',
      stages,
      repository: repositoryInfo(row.SourceCodeRepositoryId ?? firstBranch?.SourceCodeRepositoryId),
    };
  }

  function workItemInfo(row: StoredRecord): WorkItemInfo {
    return {
      id: row.Id,
      name: text(row.Name) ?? '',
      subject: text(row.Subject) ?? '',
      description: text(row.Description) ?? null,
      status: (text(row.Status) ?? 'NEW') as WorkItemStatus,
      projectId: text(row.DevopsProjectId) ?? '',
      branch: text(recordOf(org, 'SourceCodeRepositoryBranch', row.SourceCodeRepositoryBranchId)?.Name),
      stageId: text(row.DevopsPipelineStageId) ?? null,
    };
  }

  function ensureBranch(repositoryId: string, name: string): string {
    const existing = rowsWhere(
      org,
      'SourceCodeRepositoryBranch',
      'SourceCodeRepositoryId',
      repositoryId,
    ).find((row) => row.Name === name);
    if (existing) return existing.Id;
    return records.insert(
      'SourceCodeRepositoryBranch',
      { Name: name, SourceCodeRepositoryId: repositoryId },
      { trusted: true },
    ).Id;
  }

  const model: DevopsModel = {
    kind: 'platform',
    workItemObject: 'WorkItem',
    projectId: (id) => recordOf(org, 'DevopsProject', id)?.Id,
    pipelineOfProject(projectId) {
      const link = rowsWhere(org, 'DevopsProjectPipeline', 'DevopsProjectId', projectId)[0];
      const row = link ? recordOf(org, 'DevopsPipeline', link.DevopsPipelineId) : undefined;
      return row ? pipelineInfo(row) : undefined;
    },
    pipeline(id) {
      const row = recordOf(org, 'DevopsPipeline', id);
      return row ? pipelineInfo(row) : undefined;
    },
    workItem(id) {
      const row = recordOf(org, 'WorkItem', id);
      return row ? workItemInfo(row) : undefined;
    },
    workItemsOfProject: (projectId) =>
      rowsWhere(org, 'WorkItem', 'DevopsProjectId', projectId).map(workItemInfo),
    createProject(spec: ProjectSpec, gitRoot) {
      const providerName = PROVIDER_NAMES[spec.repository.provider];
      const provider =
        [...records.rows('SourceCodeRepoProvider')].find(
          (row) => row.Provider === spec.repository.provider,
        ) ??
        records.insert(
          'SourceCodeRepoProvider',
          {
            Name: providerName,
            Provider: spec.repository.provider,
            BaseUrl: gitRoot ? fileUrl(gitRoot) : null,
          },
          { trusted: true },
        );
      const repository = records.insert(
        'SourceCodeRepository',
        {
          Name: spec.repository.name,
          ExternalRepositoryName: spec.repository.name,
          RepositoryOwner: spec.repository.owner,
          Provider: spec.repository.provider,
          DefaultBranch: spec.repository.defaultBranch,
          SourceCodeRepoProviderId: provider.Id,
        },
        { trusted: true },
      );
      ensureBranch(repository.Id, spec.repository.defaultBranch);
      const project = records.insert(
        'DevopsProject',
        { Name: spec.name, Description: spec.description ?? null, IsActive: true },
        { trusted: true },
      );
      const pipeline = records.insert(
        'DevopsPipeline',
        { Name: spec.pipelineName, SourceCodeRepositoryId: repository.Id },
        { trusted: true },
      );
      records.insert(
        'DevopsProjectPipeline',
        { DevopsProjectId: project.Id, DevopsPipelineId: pipeline.Id },
        { trusted: true },
      );
      let next: string | null = null;
      for (const stage of [...spec.stages].reverse()) {
        next = records.insert(
          'DevopsPipelineStage',
          {
            Name: stage.name,
            DevopsPipelineId: pipeline.Id,
            NextStageId: next,
            SourceCodeRepositoryBranchId: ensureBranch(repository.Id, stage.branch),
          },
          { trusted: true },
        ).Id;
      }
      return project.Id;
    },
    createWorkItem(projectId, values) {
      const row = records.insert(
        'WorkItem',
        {
          Subject: values.subject,
          Description: values.description,
          Status: values.status,
          AssignedToId: values.assigneeId,
          DevopsProjectId: projectId,
        },
        { trusted: true },
      );
      return workItemInfo(row);
    },
    setStatus(workItemId, status) {
      records.update('WorkItem', workItemId, { Status: status }, { trusted: true });
    },
    linkBranch(workItemId, branch) {
      const item = recordOf(org, 'WorkItem', workItemId);
      const repository = item ? model.pipelineOfProject(String(item.DevopsProjectId))?.repository : undefined;
      if (!item || !repository) throw new Error(`Work item ${workItemId} has no project repository`);
      records.update(
        'WorkItem',
        item.Id,
        { SourceCodeRepositoryBranchId: ensureBranch(repository.id, branch) },
        { trusted: true },
      );
    },
    recordPromotion(promotion: PromotionRecord) {
      for (const id of promotion.workItemIds)
        records.update(
          'WorkItem',
          id,
          { DevopsPipelineStageId: promotion.stageId, Status: 'PROMOTED' },
          { trusted: true },
        );
    },
    setGitRoot(gitRoot) {
      for (const provider of [...records.rows('SourceCodeRepoProvider')])
        if (provider.BaseUrl !== fileUrl(gitRoot))
          records.update(
            'SourceCodeRepoProvider',
            provider.Id,
            { BaseUrl: fileUrl(gitRoot) },
            { trusted: true },
          );
    },
  };
  return model;
}
