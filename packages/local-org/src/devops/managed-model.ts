/** The DevOps Center model on the managed package's objects (sf_devops__Project__c, sf_devops__Work_Item__c...). */
import { formatDateTime } from '../state/values.js';
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

const WORK_ITEM = 'sf_devops__Work_Item__c';
const BRANCH = 'sf_devops__Branch__c';
const STAGE = 'sf_devops__Pipeline_Stage__c';
const PIPELINE = 'sf_devops__Pipeline__c';
const REPOSITORY = 'sf_devops__Repository__c';
const PROMOTE = 'sf_devops__Work_Item_Promote__c';

export function managedPackageModel(org: LocalOrgState): DevopsModel {
  const { records } = org;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

  function repositoryInfo(repositoryId: unknown): RepositoryInfo | undefined {
    const row = recordOf(org, REPOSITORY, repositoryId);
    if (!row) return undefined;
    return {
      id: row.Id,
      owner: text(row.sf_devops__GitHub_Owner__c) ?? '',
      name: text(row.sf_devops__GitHub_Repo__c) ?? '',
      defaultBranch: text(row.sf_devops__Default_Branch__c) ?? 'main',
    };
  }

  function pipelineInfo(row: StoredRecord): PipelineInfo {
    const stageRows = rowsWhere(org, STAGE, 'sf_devops__Pipeline__c', row.Id);
    const branchOf = (stage: StoredRecord) => recordOf(org, BRANCH, stage.sf_devops__Branch__c);
    const stages = orderStages(
      stageRows.map((stage) => ({
        id: stage.Id,
        name: text(stage.Name) ?? '',
        branch: text(branchOf(stage)?.sf_devops__Name__c),
        nextStageId: text(stage.sf_devops__Next_Stage__c) ?? null,
      })),
    );
    const firstBranch = stageRows.map(branchOf).find((branch) => branch !== undefined);
    return {
      id: row.Id,
      name: text(row.Name) ?? '',
      projectId: text(row.sf_devops__Project__c) ?? '',
      stages,
      repository: repositoryInfo(firstBranch?.sf_devops__Repository__c),
    };
  }

  /** The stage of the item's latest promotion: the package keeps no stage on the work item itself. */
  function currentStage(workItemId: string): string | null {
    const promotions = rowsWhere(org, PROMOTE, 'sf_devops__Work_Item__c', workItemId);
    return text(promotions[promotions.length - 1]?.sf_devops__Pipeline_Stage__c) ?? null;
  }

  function workItemInfo(row: StoredRecord): WorkItemInfo {
    return {
      id: row.Id,
      name: text(row.Name) ?? '',
      subject: text(row.sf_devops__Subject__c) ?? '',
      description: text(row.sf_devops__Description__c) ?? null,
      status: (text(row.sf_devops__State__c) ?? 'NEW') as WorkItemStatus,
      projectId: text(row.sf_devops__Project__c) ?? '',
      branch: text(recordOf(org, BRANCH, row.sf_devops__Branch__c)?.sf_devops__Name__c),
      stageId: currentStage(row.Id),
    };
  }

  function ensureBranch(repositoryId: string, name: string): string {
    const existing = rowsWhere(org, BRANCH, 'sf_devops__Repository__c', repositoryId).find(
      (row) => row.sf_devops__Name__c === name,
    );
    if (existing) return existing.Id;
    return records.insert(
      BRANCH,
      { sf_devops__Name__c: name, sf_devops__Repository__c: repositoryId },
      { trusted: true },
    ).Id;
  }

  const model: DevopsModel = {
    kind: 'managed-package',
    workItemObject: WORK_ITEM,
    projectId: (id) => recordOf(org, 'sf_devops__Project__c', id)?.Id,
    pipelineOfProject(projectId) {
      const pipelines = rowsWhere(org, PIPELINE, 'sf_devops__Project__c', projectId);
      const row = pipelines.find((pipeline) => pipeline.sf_devops__Activated__c === true) ?? pipelines[0];
      return row ? pipelineInfo(row) : undefined;
    },
    pipeline(id) {
      const row = recordOf(org, PIPELINE, id);
      return row ? pipelineInfo(row) : undefined;
    },
    workItem(id) {
      const row = recordOf(org, WORK_ITEM, id);
      return row ? workItemInfo(row) : undefined;
    },
    workItemsOfProject: (projectId) =>
      rowsWhere(org, WORK_ITEM, 'sf_devops__Project__c', projectId).map(workItemInfo),
    createProject(spec: ProjectSpec, gitRoot) {
      const { owner, name, defaultBranch } = spec.repository;
      const repository = records.insert(
        REPOSITORY,
        {
          Name: `${owner}/${name}`,
          sf_devops__Url__c: gitRoot ? fileUrl(`${gitRoot}/${owner}/${name}`) : null,
          sf_devops__Default_Branch__c: defaultBranch,
          sf_devops__GitHub_Owner__c: owner,
          sf_devops__GitHub_Repo__c: name,
        },
        { trusted: true },
      );
      ensureBranch(repository.Id, defaultBranch);
      const project = records.insert(
        'sf_devops__Project__c',
        { Name: spec.name, sf_devops__Description__c: spec.description ?? null },
        { trusted: true },
      );
      const pipeline = records.insert(
        PIPELINE,
        { Name: spec.pipelineName, sf_devops__Project__c: project.Id, sf_devops__Activated__c: true },
        { trusted: true },
      );
      let next: string | null = null;
      for (const stage of [...spec.stages].reverse()) {
        next = records.insert(
          STAGE,
          {
            Name: stage.name,
            sf_devops__Pipeline__c: pipeline.Id,
            sf_devops__Next_Stage__c: next,
            sf_devops__Branch__c: ensureBranch(repository.Id, stage.branch),
          },
          { trusted: true },
        ).Id;
      }
      return project.Id;
    },
    createWorkItem(projectId, values) {
      const row = records.insert(
        WORK_ITEM,
        {
          sf_devops__Subject__c: values.subject,
          sf_devops__Description__c: values.description,
          sf_devops__State__c: values.status,
          sf_devops__Concluded__c: values.status === 'CLOSED' || values.status === 'NEVERED',
          sf_devops__Assigned_To__c: values.assigneeId,
          sf_devops__Project__c: projectId,
        },
        { trusted: true },
      );
      return workItemInfo(row);
    },
    setStatus(workItemId, status) {
      records.update(
        WORK_ITEM,
        workItemId,
        { sf_devops__State__c: status, sf_devops__Concluded__c: status === 'CLOSED' || status === 'NEVERED' },
        { trusted: true },
      );
    },
    linkBranch(workItemId, branch) {
      const item = recordOf(org, WORK_ITEM, workItemId);
      const repository = item
        ? model.pipelineOfProject(String(item.sf_devops__Project__c))?.repository
        : undefined;
      if (!item || !repository) throw new Error(`Work item ${workItemId} has no project repository`);
      records.update(
        WORK_ITEM,
        item.Id,
        { sf_devops__Branch__c: ensureBranch(repository.id, branch) },
        { trusted: true },
      );
    },
    recordPromotion(promotion: PromotionRecord) {
      const completed = formatDateTime(org.now());
      for (const id of promotion.workItemIds) {
        const status = records.insert(
          'sf_devops__Async_Operation_Result__c',
          { sf_devops__Status__c: 'Completed', sf_devops__Message__c: promotion.message.slice(0, 255) },
          { trusted: true },
        );
        const deployment = records.insert(
          'sf_devops__Deployment_Result__c',
          {
            sf_devops__Completion_Date__c: completed,
            // No metadata deployment happens in the local org, so there is no deployment id.
            sf_devops__Deployment_Id__c: null,
            sf_devops__Status__c: status.Id,
            sf_devops__Check_Deploy__c: promotion.checkOnly,
            sf_devops__Full_Deploy__c: promotion.fullDeploy,
            sf_devops__Test_Level__c: promotion.testLevel ?? null,
          },
          { trusted: true },
        );
        records.insert(
          PROMOTE,
          {
            sf_devops__Work_Item__c: id,
            sf_devops__Pipeline_Stage__c: promotion.stageId,
            sf_devops__Deployment_Result__c: deployment.Id,
          },
          { trusted: true },
        );
        records.update(WORK_ITEM, id, { sf_devops__State__c: 'PROMOTED' }, { trusted: true });
      }
    },
    setGitRoot(gitRoot) {
      for (const repository of [...records.rows(REPOSITORY)]) {
        const url = fileUrl(
          `${gitRoot}/${String(repository.sf_devops__GitHub_Owner__c)}/${String(repository.sf_devops__GitHub_Repo__c)}`,
        );
        if (repository.sf_devops__Url__c !== url)
          records.update(REPOSITORY, repository.Id, { sf_devops__Url__c: url }, { trusted: true });
      }
    },
  };
  return model;
}
