/**
 * The DevOps Center Connect REST resources under `/services/data/vXX.X/connect/devops/`: work item
 * create and status, commit registration (commitlite), reviews, and promotion. Each does its git
 * work first (in the org's bare repositories), then its record changes in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { SalesforceApiError } from '../errors.js';
import type { RouteReply, RouteRequest } from '../http/types.js';
import type { LocalOrgState } from '../state/index.js';
import {
  branchHead,
  commitsAhead,
  createBranch,
  deleteBranch,
  isCommitId,
  isOnBranch,
  isValidBranchName,
  mergeBranches,
  repositoryPath,
  resetBranch,
} from './git.js';
import type { DevopsModel, PipelineInfo, RepositoryInfo, StageInfo, WorkItemInfo } from './model.js';
import { WORK_ITEM_STATUSES, type WorkItemStatus } from './objects.js';
import { recordRequest, requestTokenTaken } from './requests.js';
import { addReview, findReview, markMerged, openReview, type Review } from './reviews.js';

export interface DevopsRouteContext {
  org: LocalOrgState;
  model: DevopsModel;
  gitRoot: string;
  instanceUrl: string;
}

const NOT_MODELED =
  'The requested resource does not exist (the local org, a test double, answers connect/devops projects/{id}/workitem, workItems/{id}/commitlite, workItems/{id}/review, pipelines/{id}/promote and reviews/{id}).';

const input = (message: string) => new SalesforceApiError(400, 'INVALID_API_INPUT', message);
const notFound = (message: string) => new SalesforceApiError(404, 'NOT_FOUND', message);

function methodNotAllowed(method: string, allowed: string): SalesforceApiError {
  return new SalesforceApiError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed}`,
  );
}

function bodyObject(request: RouteRequest): Record<string, unknown> {
  const text = request.body.toString('utf8');
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch (error) {
      throw new SalesforceApiError(
        400,
        'JSON_PARSER_ERROR',
        `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function optionalText(body: Record<string, unknown>, name: string, max: number): string | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw input(`${name} must be a string`);
  if (value.length > max) throw input(`${name} is longer than ${max} characters`);
  return value;
}

function requiredText(body: Record<string, unknown>, name: string, max: number): string {
  const value = optionalText(body, name, max);
  if (value === null || value.trim() === '') throw input(`${name} is required`);
  return value;
}

function optionalBoolean(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw input(`${name} must be true or false`);
  return value;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound(NOT_MODELED);
  }
}

/** Dispatches `segments`: the path after `connect/devops/`. */
export async function handleDevopsRoute(
  request: RouteRequest,
  segments: string[],
  context: DevopsRouteContext,
): Promise<RouteReply> {
  const [resource, id, action, childId, ...rest] = segments.map(decode);
  const method = request.method;
  if (rest.length > 0 || !resource || !id) throw notFound(NOT_MODELED);
  switch (resource.toLowerCase()) {
    case 'projects':
      if (action?.toLowerCase() !== 'workitem') throw notFound(NOT_MODELED);
      if (childId === undefined) {
        if (method !== 'POST') throw methodNotAllowed(method, 'POST');
        return createWorkItem(context, id, bodyObject(request));
      }
      if (method !== 'PATCH') throw methodNotAllowed(method, 'PATCH');
      return await updateWorkItemStatus(context, id, childId, bodyObject(request));
    case 'workitems':
      if (childId !== undefined) throw notFound(NOT_MODELED);
      if (action === 'commitlite') {
        if (method !== 'POST') throw methodNotAllowed(method, 'POST');
        return await commitLite(context, id, bodyObject(request));
      }
      if (action === 'review') {
        if (method !== 'POST') throw methodNotAllowed(method, 'POST');
        bodyObject(request);
        return await createReview(context, id, request.apiVersion ?? '');
      }
      throw notFound(NOT_MODELED);
    case 'pipelines':
      if (action !== 'promote' || childId !== undefined) throw notFound(NOT_MODELED);
      if (method !== 'POST') throw methodNotAllowed(method, 'POST');
      return await promote(context, id, bodyObject(request));
    case 'reviews': {
      if (action !== undefined) throw notFound(NOT_MODELED);
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      const review = findReview(context.org, id);
      if (!review) throw notFound(`No review with the id ${id}`);
      return { status: 200, body: renderReview(context, review, request.apiVersion ?? '') };
    }
    default:
      throw notFound(NOT_MODELED);
  }
}

function requireWorkItem(model: DevopsModel, id: string): WorkItemInfo {
  const item = model.workItem(id);
  if (!item) throw notFound(`No work item with the id ${id}`);
  return item;
}

function requirePipelineOf(
  model: DevopsModel,
  item: WorkItemInfo,
): PipelineInfo & { repository: RepositoryInfo } {
  const pipeline = model.pipelineOfProject(item.projectId);
  if (!pipeline || pipeline.stages.length === 0)
    throw input(`The project of ${item.name} has no pipeline with stages`);
  if (!pipeline.repository) throw input(`The pipeline ${pipeline.name} has no repository`);
  return pipeline as PipelineInfo & { repository: RepositoryInfo };
}

function bareOf(context: DevopsRouteContext, repository: RepositoryInfo): string {
  try {
    return repositoryPath(context.gitRoot, repository.owner, repository.name);
  } catch (error) {
    throw input(error instanceof Error ? error.message : String(error));
  }
}

/** The stage a work item promotes to next: the first stage from development, else its stage's next one. */
function nextStage(pipeline: PipelineInfo, item: WorkItemInfo): StageInfo | undefined {
  if (item.stageId === null) return pipeline.stages[0];
  const current = pipeline.stages.find((stage) => stage.id === item.stageId);
  return current?.nextStageId ? pipeline.stages.find((stage) => stage.id === current.nextStageId) : undefined;
}

function stageBranch(stage: StageInfo): string {
  if (!stage.branch || !isValidBranchName(stage.branch))
    throw input(`The stage ${stage.name} has no branch the local org can use`);
  return stage.branch;
}

function itemBranch(item: WorkItemInfo): string {
  if (!item.branch) throw input(`The work item ${item.name} has no branch; set it IN_PROGRESS first`);
  if (!isValidBranchName(item.branch))
    throw input(`The work item ${item.name}'s branch is not a name the local org accepts`);
  return item.branch;
}

function requireProject(model: DevopsModel, id: string): string {
  const projectId = model.projectId(id);
  if (!projectId) throw notFound(`No project with the id ${id}`);
  return projectId;
}

function createWorkItem(context: DevopsRouteContext, id: string, body: Record<string, unknown>): RouteReply {
  const { model, org } = context;
  const projectId = requireProject(model, id);
  const subject = requiredText(body, 'subject', 255);
  const description = optionalText(body, 'description', 32768);
  const item = org.records.transaction(() =>
    model.createWorkItem(projectId, { subject, description, status: 'NEW', assigneeId: org.userId }),
  );
  return {
    status: 201,
    body: {
      id: item.id,
      name: item.name,
      subject: item.subject,
      description: item.description,
      status: item.status,
    },
  };
}

async function updateWorkItemStatus(
  context: DevopsRouteContext,
  projectId: string,
  workItemId: string,
  body: Record<string, unknown>,
): Promise<RouteReply> {
  const { model, org } = context;
  const project = requireProject(model, projectId);
  const item = model.workItem(workItemId);
  if (!item || item.projectId !== project)
    throw notFound(`No work item with the id ${workItemId} in the project ${projectId}`);
  const status = body.status;
  if (typeof status !== 'string' || !(WORK_ITEM_STATUSES as readonly string[]).includes(status))
    throw input(`status must be one of ${WORK_ITEM_STATUSES.join(', ')}`);
  if (status === 'PROMOTED')
    throw input('A work item becomes PROMOTED by a promotion (pipelines/{id}/promote)');
  if (item.status === 'NEVERED' && status !== 'NEVERED')
    throw input(`${item.name} is NEVERED; a work item set aside for good does not come back`);

  let createdBranch: { bare: string; head: string } | undefined;
  if (status === 'IN_PROGRESS' && !item.branch) {
    const pipeline = requirePipelineOf(model, item);
    const bare = bareOf(context, pipeline.repository);
    const from = stageBranch(pipeline.stages[0] as StageInfo);
    if (!isValidBranchName(item.name)) throw input(`${item.name} is not a branch name the local org accepts`);
    // A branch already named for the work item is its branch; otherwise it starts from the first stage.
    if (!(await branchHead(bare, item.name)))
      createdBranch = { bare, head: await createBranch(bare, item.name, from) };
  }
  try {
    org.records.transaction(() => {
      if (status === 'IN_PROGRESS' && !item.branch) model.linkBranch(item.id, item.name);
      model.setStatus(item.id, status as WorkItemStatus);
    });
  } catch (error) {
    if (createdBranch) await deleteBranch(createdBranch.bare, item.name, createdBranch.head);
    throw error;
  }
  return { status: 200, body: { id: item.id, name: item.name, status } };
}

const CHANGE_OPERATIONS = ['add', 'modify', 'delete'];

async function commitLite(
  context: DevopsRouteContext,
  workItemId: string,
  body: Record<string, unknown>,
): Promise<RouteReply> {
  const { model, org } = context;
  const item = requireWorkItem(model, workItemId);
  const requestId = requiredText(body, 'requestId', 255);
  requiredText(body, 'commitMessage', 32768);
  const commitId = body.commitId;
  if (!isCommitId(commitId)) throw input('commitId must be a commit id (7 to 64 hexadecimal characters)');
  const changes = body.changes;
  if (!Array.isArray(changes) || changes.length === 0) throw input('changes must be a non-empty array');
  for (const change of changes) {
    const entry = change as Record<string, unknown> | null;
    if (
      !entry ||
      typeof entry !== 'object' ||
      typeof entry.fullName !== 'string' ||
      typeof entry.type !== 'string' ||
      !CHANGE_OPERATIONS.includes(String(entry.operation))
    )
      throw input(`Each change needs fullName, type and operation (${CHANGE_OPERATIONS.join(', ')})`);
  }
  if (requestTokenTaken(org, requestId))
    throw new SalesforceApiError(400, 'DUPLICATE_VALUE', `The requestId ${requestId} was already used`);
  const branch = itemBranch(item);
  const pipeline = requirePipelineOf(model, item);
  const bare = bareOf(context, pipeline.repository);
  const pushed = await isOnBranch(bare, commitId, branch);
  const repository = `${pipeline.repository.owner}/${pipeline.repository.name}`;
  const status = pushed ? 'SUCCESS' : 'ERROR';
  const notPushed = `Commit ${commitId} is not on branch ${branch} of ${repository}: push it, then register it again with a new requestId.`;
  org.records.transaction(() =>
    recordRequest(org, {
      token: requestId,
      operation: 'COMMIT',
      status,
      message: pushed
        ? `Commit ${commitId} is on ${branch} of ${repository}; ${changes.length} change(s) registered for ${item.name}.`
        : notPushed,
      // The error type is the local org's own: Salesforce's for this case is not documented.
      ...(pushed ? {} : { error: { type: 'COMMIT_NOT_ON_BRANCH', message: notPushed } }),
    }),
  );
  return { status: 200, body: { requestId, status } };
}

function renderReview(context: DevopsRouteContext, review: Review, version: string): Record<string, unknown> {
  return {
    id: review.id,
    number: review.number,
    url: `${context.instanceUrl}/services/data/v${version}/connect/devops/reviews/${review.id}`,
    title: review.title,
    repository: review.repository,
    workItemId: review.workItemId,
    sourceBranch: review.sourceBranch,
    targetBranch: review.targetBranch,
    status: review.status,
    createdDate: review.createdDate,
  };
}

async function createReview(
  context: DevopsRouteContext,
  workItemId: string,
  version: string,
): Promise<RouteReply> {
  const { model, org } = context;
  const item = requireWorkItem(model, workItemId);
  const source = itemBranch(item);
  const pipeline = requirePipelineOf(model, item);
  const target = nextStage(pipeline, item);
  if (!target)
    throw input(`${item.name} is in the pipeline's last stage; there is nothing to review it into`);
  const targetBranch = stageBranch(target);
  const existing = openReview(org, item.id, targetBranch);
  if (existing) return { status: 200, body: renderReview(context, existing, version) };
  const bare = bareOf(context, pipeline.repository);
  if (!(await branchHead(bare, source))) throw input(`The branch ${source} does not exist in the repository`);
  if (!(await branchHead(bare, targetBranch)))
    throw input(`The branch ${targetBranch} does not exist in the repository`);
  if ((await commitsAhead(bare, source, targetBranch)) === 0)
    throw input(`The branch ${source} has no commits that ${targetBranch} lacks`);
  if (item.status === 'NEW' || item.status === 'IN_PROGRESS')
    org.records.transaction(() => model.setStatus(item.id, 'IN_REVIEW'));
  const review = addReview(org, {
    title: `[DevOps Center] Merge ${item.name} to ${targetBranch}`,
    repository: `${pipeline.repository.owner}/${pipeline.repository.name}`,
    workItemId: item.id,
    sourceBranch: source,
    targetBranch,
  });
  return { status: 201, body: renderReview(context, review, version) };
}

interface PromotionInput {
  pipeline: PipelineInfo & { repository: RepositoryInfo };
  target: StageInfo;
  items: WorkItemInfo[];
  checkOnly: boolean;
  testLevel: string | undefined;
  fullDeploy: boolean;
}

function promotionInput(
  context: DevopsRouteContext,
  pipelineId: string,
  body: Record<string, unknown>,
): PromotionInput {
  const { model } = context;
  const pipeline = model.pipeline(pipelineId);
  if (!pipeline) throw notFound(`No pipeline with the id ${pipelineId}`);
  if (!pipeline.repository) throw input(`The pipeline ${pipeline.name} has no repository`);
  const targetStageId = requiredText(body, 'targetStageId', 18);
  const target = pipeline.stages.find((stage) => stage.id.slice(0, 15) === targetStageId.slice(0, 15));
  if (!target) throw input(`targetStageId ${targetStageId} is not a stage of the pipeline ${pipeline.name}`);
  const ids = body.workitemIds ?? [];
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
    throw input('workitemIds must be an array of work item ids');
  const allInStage = optionalBoolean(body, 'allWorkItemsInStage');
  const checkOnly = optionalBoolean(body, 'isCheckDeploy');
  const options = body.deployOptions ?? {};
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw input('deployOptions must be an object');
  const { testLevel, isFullDeploy } = options as Record<string, unknown>;
  if (testLevel !== undefined && typeof testLevel !== 'string')
    throw input('deployOptions.testLevel must be a string');
  if (isFullDeploy !== undefined && typeof isFullDeploy !== 'boolean')
    throw input('deployOptions.isFullDeploy must be true or false');

  const eligible = (item: WorkItemInfo): string | undefined => {
    if (item.projectId !== pipeline.projectId)
      return `${item.name} does not belong to the pipeline's project`;
    if (!item.branch) return `${item.name} has no branch`;
    const expected = nextStage(pipeline, item);
    if (!expected) return `${item.name} is already in the pipeline's last stage`;
    if (expected.id !== target.id)
      return `${item.name} can be promoted to ${expected.name}, not to ${target.name} (stages are promoted in order)`;
    if (item.stageId === null && item.status !== 'READY_TO_PROMOTE')
      return `${item.name} is ${item.status}; a work item leaves development when it is READY_TO_PROMOTE`;
    return undefined;
  };
  let items: WorkItemInfo[];
  if (ids.length === 0) {
    if (!allInStage) throw input('workitemIds is empty; give work item ids or set allWorkItemsInStage');
    items = model.workItemsOfProject(pipeline.projectId).filter((item) => eligible(item) === undefined);
    if (items.length === 0) throw input(`No work item is ready to be promoted to ${target.name}`);
  } else {
    const unique = [...new Set((ids as string[]).map((id) => id.slice(0, 15)))];
    items = unique.map((id) => requireWorkItem(model, id));
    for (const item of items) {
      const problem = eligible(item);
      if (problem) throw input(problem);
    }
  }
  return {
    pipeline: pipeline as PromotionInput['pipeline'],
    target,
    items,
    checkOnly,
    testLevel: testLevel as string | undefined,
    fullDeploy: isFullDeploy === true,
  };
}

async function promote(
  context: DevopsRouteContext,
  pipelineId: string,
  body: Record<string, unknown>,
): Promise<RouteReply> {
  const { model, org } = context;
  const promotion = promotionInput(context, pipelineId, body);
  const { pipeline, target, items, checkOnly } = promotion;
  const targetBranch = stageBranch(target);
  const bare = bareOf(context, pipeline.repository);
  const names = items.map((item) => item.name).join(', ');
  const requestId = randomUUID();
  const outcome = await mergeBranches(
    bare,
    targetBranch,
    items.map((item) => ({ branch: itemBranch(item), message: `Promote ${item.name} to ${target.name}` })),
    !checkOnly,
  );
  const notDeployed = 'stage environments are not modeled by the local org, so no metadata was deployed';
  if (!outcome.ok) {
    const conflict = 'conflict' in outcome ? outcome.conflict : undefined;
    const message = conflict
      ? `MERGE_CONFLICT: ${conflict.source} does not merge into ${targetBranch} (stage ${target.name}); nothing was changed. CONFLICTS: ${conflict.files.map((file) => file.path).join(', ')}`
      : `MERGE_FAILED: ${'error' in outcome ? outcome.error : 'unknown error'}; nothing was changed.`;
    // ErrorDetails as Salesforce writes a merge conflict: `CONFLICTS: <path>:content, ...`.
    const error = conflict
      ? {
          type: 'MERGE_CONFLICT',
          message: `CONFLICTS: ${conflict.files.map((file) => `${file.path}:${file.kind}`).join(', ')}`,
        }
      : { type: 'MERGE_FAILED', message };
    org.records.transaction(() =>
      recordRequest(org, { token: requestId, operation: 'PROMOTE', status: 'ERROR', message, error }),
    );
    return { status: 200, body: { requestId } };
  }
  const commit = outcome.after.slice(0, 7);
  if (checkOnly) {
    org.records.transaction(() =>
      recordRequest(org, {
        token: requestId,
        operation: 'PROMOTE',
        status: 'SUCCESS',
        message: `Validated: ${names} merge cleanly into ${targetBranch} (stage ${target.name}); nothing was pushed. ${notDeployed} or validated.`,
      }),
    );
    return { status: 200, body: { requestId } };
  }
  const message = `Merged ${names} into ${targetBranch} (stage ${target.name}) as ${commit}; ${notDeployed}.`;
  try {
    org.records.transaction(() => {
      model.recordPromotion({
        workItemIds: items.map((item) => item.id),
        stageId: target.id,
        message,
        checkOnly,
        testLevel: promotion.testLevel,
        fullDeploy: promotion.fullDeploy,
      });
      recordRequest(org, { token: requestId, operation: 'PROMOTE', status: 'SUCCESS', message });
    });
  } catch (error) {
    // The records could not follow the merge: take the merge back, so the request changed nothing.
    await resetBranch(bare, targetBranch, outcome.before, outcome.after);
    throw error;
  }
  markMerged(
    org,
    items.map((item) => item.id),
    targetBranch,
  );
  return { status: 200, body: { requestId } };
}
