/**
 * What the DevOps Center endpoints and the seed need from an org's records, the same for both data
 * models: projects, pipelines with ordered stages and their branches, the project's repository, work
 * items. platform-model.ts and managed-model.ts map it onto each model's objects.
 */
import { SalesforceApiError } from '../errors.js';
import type { LocalOrgState } from '../state/index.js';
import { toId18 } from '../state/ids.js';
import type { StoredRecord } from '../state/types.js';
import type { DevopsModelKind, WorkItemStatus } from './objects.js';

export interface RepositoryInfo {
  id: string;
  owner: string;
  name: string;
  defaultBranch: string;
}

export interface StageInfo {
  id: string;
  name: string;
  /** The stage's branch name (undefined when the stage has none). */
  branch: string | undefined;
  nextStageId: string | null;
}

export interface PipelineInfo {
  id: string;
  name: string;
  projectId: string;
  /** In promotion order: the first stage receives work items from development. */
  stages: StageInfo[];
  repository: RepositoryInfo | undefined;
}

export interface WorkItemInfo {
  id: string;
  name: string;
  subject: string;
  description: string | null;
  status: WorkItemStatus;
  projectId: string;
  branch: string | undefined;
  /** The stage it was last promoted to; null while still in development. */
  stageId: string | null;
}

export interface ProjectSpec {
  name: string;
  description?: string;
  repository: { owner: string; name: string; defaultBranch: string; provider: 'GITHUB' | 'BITBUCKET' };
  pipelineName: string;
  stages: Array<{ name: string; branch: string }>;
}

export interface PromotionRecord {
  workItemIds: string[];
  stageId: string;
  message: string;
  checkOnly: boolean;
  testLevel: string | undefined;
  fullDeploy: boolean;
}

/** One data model's view of the org. Writes are synchronous (they run inside record transactions). */
export interface DevopsModel {
  readonly kind: DevopsModelKind;
  readonly workItemObject: string;
  /** The project's 18-character id, or undefined when there is no such project. */
  projectId(id: string): string | undefined;
  pipelineOfProject(projectId: string): PipelineInfo | undefined;
  pipeline(id: string): PipelineInfo | undefined;
  workItem(id: string): WorkItemInfo | undefined;
  /** Work items of a project, oldest first. */
  workItemsOfProject(projectId: string): WorkItemInfo[];
  createProject(spec: ProjectSpec, gitRoot: string | undefined): string;
  createWorkItem(
    projectId: string,
    values: {
      subject: string;
      description: string | null;
      status: WorkItemStatus;
      assigneeId: string | null;
    },
  ): WorkItemInfo;
  setStatus(workItemId: string, status: WorkItemStatus): void;
  /** Records the work item's branch (in its project's repository) and links it. */
  linkBranch(workItemId: string, branch: string): void;
  recordPromotion(promotion: PromotionRecord): void;
  /** Points the repository URLs the org hands out at its current git root. */
  setGitRoot(gitRoot: string): void;
}

export function fileUrl(path: string): string {
  return `file://${path}`;
}

/** The record of `objectName` with this id, or undefined (malformed ids included). */
export function recordOf(org: LocalOrgState, objectName: string, id: unknown): StoredRecord | undefined {
  if (typeof id !== 'string' || !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)) return undefined;
  const id18 = toId18(id);
  if (!id18) return undefined;
  const def = org.schema.getObject(objectName);
  if (!def || org.schema.objectForId(id18) !== def) return undefined;
  return org.records.get(id18);
}

export function rowsWhere(
  org: LocalOrgState,
  objectName: string,
  field: string,
  value: string | null,
): StoredRecord[] {
  return [...org.records.rows(objectName)].filter((row) => (row[field] ?? null) === value);
}

/** Stages in promotion order, following the next-stage links from the one nothing points at. */
export function orderStages(stages: StageInfo[]): StageInfo[] {
  const pointedAt = new Set(
    stages.map((stage) => stage.nextStageId).filter((id): id is string => id !== null),
  );
  const first = stages.filter((stage) => !pointedAt.has(stage.id));
  if (first.length !== 1) return stages;
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  const ordered: StageInfo[] = [];
  let current: StageInfo | undefined = first[0];
  while (current && !ordered.includes(current)) {
    ordered.push(current);
    current = current.nextStageId ? byId.get(current.nextStageId) : undefined;
  }
  return ordered.length === stages.length ? ordered : stages;
}

export function userIdByUsername(org: LocalOrgState, username: string): string {
  const user = [...org.records.rows('User')].find(
    (row) => typeof row.Username === 'string' && row.Username.toLowerCase() === username.toLowerCase(),
  );
  if (!user) throw new SalesforceApiError(400, 'INVALID_API_INPUT', `No user with the username ${username}`);
  return user.Id;
}
