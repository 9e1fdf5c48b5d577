/**
 * DevOps Center as one interface over its two data models: the platform objects (DevopsProject, WorkItem,
 * DevopsPipelineStage …, API 64+) and the managed package's `sf_devops__*__c` objects. Which one an org has
 * is read from its describeGlobal, once per org. Actions go through DevOps Center's Connect REST resources.
 */
import { randomUUID } from 'node:crypto';
import { type OrgHandle, ToolError, salesforceCall, soqlList, soqlString } from '@sfmcp/plugin-api';

export type DevopsModel = 'platform' | 'managed-package';

export interface Stage {
  id: string;
  name: string;
  branch?: string;
  nextStageId?: string;
}

export interface Pipeline {
  id: string;
  name: string;
  /** First stage first, following NextStage. */
  stages: Stage[];
}

export interface Project {
  id: string;
  name: string;
  description?: string;
}

export interface Repository {
  /** The clone URL. */
  url: string;
  defaultBranch?: string;
}

export interface WorkItem {
  id: string;
  name: string;
  subject?: string;
  description?: string;
  /** API value: NEW, IN_PROGRESS, IN_REVIEW, READY_TO_PROMOTE, PROMOTED, CLOSED … */
  status: string;
  assignee?: string;
  branch?: string;
  projectId: string;
  /** The stage it was last promoted to; undefined while in development. */
  stage?: Stage;
  /** Where a promotion takes it next; undefined at the last stage. */
  nextStage?: Stage;
  pipeline?: Pipeline;
}

export interface RequestStatus {
  requestId: string;
  /** DevopsRequestInfo.Status: IN_PROGRESS, SUCCESS or ERROR; NOT_FOUND when no request has the id. */
  status: string;
  message?: string;
}

export interface Review {
  id?: string;
  number?: number;
  url?: string;
  sourceBranch?: string;
  targetBranch?: string;
  status?: string;
}

export const STATUS_LABELS: Record<string, string> = {
  NEW: 'New',
  IN_PROGRESS: 'In Progress',
  IN_REVIEW: 'In Review',
  READY_TO_PROMOTE: 'Ready to Promote',
  PROMOTED: 'Promoted',
  CLOSED: 'Closed',
  NEVERED: 'Never',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** A label ("Ready to Promote") or API value ("READY_TO_PROMOTE") as the API value. */
export function statusValue(status: string): string {
  const wanted = status
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return Object.keys(STATUS_LABELS).find((value) => value === wanted) ?? wanted;
}

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Record ids reach URLs and SOQL only after this check. */
export function checkId(id: string, what: string): string {
  if (!ID.test(id))
    throw new ToolError(`${what} ${JSON.stringify(id)} is not a Salesforce record id.`, undefined, {
      kind: 'invalid',
    });
  return id;
}

type Row = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function path(row: unknown, ...keys: string[]): unknown {
  let current = row;
  for (const key of keys) current = (current as Row | null | undefined)?.[key];
  return current;
}

/** Orders stages from the one no other stage points at, along NextStage; stray stages go last. */
function orderStages(stages: Stage[]): Stage[] {
  const pointedAt = new Set(stages.map((stage) => stage.nextStageId).filter(Boolean));
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  const ordered: Stage[] = [];
  let current = stages.find((stage) => !pointedAt.has(stage.id));
  while (current && !ordered.includes(current)) {
    ordered.push(current);
    current = current.nextStageId ? byId.get(current.nextStageId) : undefined;
  }
  return [...ordered, ...stages.filter((stage) => !ordered.includes(stage))];
}

export class DevopsCenter {
  readonly org: OrgHandle;
  readonly model: DevopsModel;
  readonly #pipelines = new Map<string, Promise<Pipeline | undefined>>();

  private constructor(org: OrgHandle, model: DevopsModel) {
    this.org = org;
    this.model = model;
  }

  /** The org's DevOps Center; refuses an org without it. */
  /** Which model the org has, from its describeGlobal (which the server caches per org). */
  static async open(org: OrgHandle): Promise<DevopsCenter> {
    const global = await salesforceCall(() => org.describeGlobal());
    const names = new Set(global.sobjects.map((object) => object.name));
    if (names.has('sf_devops__Project__c')) return new DevopsCenter(org, 'managed-package');
    if (names.has('DevopsProject')) return new DevopsCenter(org, 'platform');
    throw new ToolError(
      `DevOps Center is not set up in ${org.label}: it has neither DevopsProject nor sf_devops__Project__c.`,
      'Use the org where DevOps Center is installed (usually production).',
      { kind: 'not-found' },
    );
  }

  get #mp(): boolean {
    return this.model === 'managed-package';
  }

  async #query(soql: string): Promise<Row[]> {
    const result = await salesforceCall(async () =>
      this.org.connection.query<Row>(soql, { autoFetch: true, maxFetch: 10_000 }),
    );
    return result.records;
  }

  /** Calls a DevOps Center Connect REST resource (`path` built from checked ids only). */
  async connect<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const url = `/services/data/v${this.org.connection.getApiVersion()}/connect/devops/${path}`;
    return salesforceCall(() =>
      this.org.connection.request<T>({
        method,
        url,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headers: { 'Content-Type': 'application/json' },
      }),
    );
  }

  async listProjects(): Promise<Project[]> {
    const rows = this.#mp
      ? await this.#query(
          'SELECT Id, Name, sf_devops__Description__c FROM sf_devops__Project__c ORDER BY Name',
        )
      : await this.#query('SELECT Id, Name, Description FROM DevopsProject ORDER BY Name');
    return rows.map((row) => ({
      id: String(row.Id),
      name: String(row.Name),
      description: text(this.#mp ? row.sf_devops__Description__c : row.Description),
    }));
  }

  async project(projectId: string): Promise<Project> {
    checkId(projectId, 'Project id');
    const project = (await this.listProjects()).find(
      (candidate) => candidate.id === projectId || candidate.id.slice(0, 15) === projectId.slice(0, 15),
    );
    if (!project)
      throw new ToolError(
        `No DevOps Center project ${projectId} in ${this.org.label}.`,
        'list_devops_center_projects lists them.',
        {
          kind: 'not-found',
        },
      );
    return project;
  }

  /** The project's (active) pipeline with its stages in order, if it has one. */
  pipeline(projectId: string): Promise<Pipeline | undefined> {
    let pipeline = this.#pipelines.get(projectId);
    if (!pipeline) {
      pipeline = this.#loadPipeline(projectId);
      this.#pipelines.set(projectId, pipeline);
    }
    return pipeline;
  }

  async #loadPipeline(projectId: string): Promise<Pipeline | undefined> {
    const id = soqlString(checkId(projectId, 'Project id'));
    if (this.#mp) {
      const [pipeline] = await this.#query(
        `SELECT Id, Name FROM sf_devops__Pipeline__c WHERE sf_devops__Project__c = ${id} AND sf_devops__Activated__c = true LIMIT 1`,
      );
      if (!pipeline) return undefined;
      const stages = await this.#query(
        `SELECT Id, Name, sf_devops__Next_Stage__c, sf_devops__Branch__r.sf_devops__Name__c FROM sf_devops__Pipeline_Stage__c WHERE sf_devops__Pipeline__c = ${soqlString(String(pipeline.Id))}`,
      );
      return {
        id: String(pipeline.Id),
        name: String(pipeline.Name),
        stages: orderStages(
          stages.map((row) => ({
            id: String(row.Id),
            name: String(row.Name),
            branch: text(path(row, 'sf_devops__Branch__r', 'sf_devops__Name__c')),
            nextStageId: text(row.sf_devops__Next_Stage__c),
          })),
        ),
      };
    }
    const [link] = await this.#query(
      `SELECT DevopsPipelineId, DevopsPipeline.Name FROM DevopsProjectPipeline WHERE DevopsProjectId = ${id} LIMIT 1`,
    );
    if (!link?.DevopsPipelineId) return undefined;
    const pipelineId = String(link.DevopsPipelineId);
    const stages = await this.#query(
      `SELECT Id, Name, NextStageId, SourceCodeRepositoryBranch.Name FROM DevopsPipelineStage WHERE DevopsPipelineId = ${soqlString(pipelineId)}`,
    );
    return {
      id: pipelineId,
      name: text(path(link, 'DevopsPipeline', 'Name')) ?? pipelineId,
      stages: orderStages(
        stages.map((row) => ({
          id: String(row.Id),
          name: String(row.Name),
          branch: text(path(row, 'SourceCodeRepositoryBranch', 'Name')),
          nextStageId: text(row.NextStageId),
        })),
      ),
    };
  }

  /** The clone URL of the project's repository (from its work items' or stages' branches). */
  async repository(projectId: string): Promise<Repository> {
    const id = soqlString(checkId(projectId, 'Project id'));
    if (this.#mp) {
      const [row] = await this.#query(
        `SELECT sf_devops__Branch__r.sf_devops__Repository__r.sf_devops__Url__c, sf_devops__Branch__r.sf_devops__Repository__r.sf_devops__Default_Branch__c FROM sf_devops__Pipeline_Stage__c WHERE sf_devops__Pipeline__r.sf_devops__Project__c = ${id} AND sf_devops__Branch__c != null LIMIT 1`,
      );
      const repository = path(row, 'sf_devops__Branch__r', 'sf_devops__Repository__r');
      const url = text(path(repository, 'sf_devops__Url__c'));
      if (!url) throw this.#noRepository(projectId);
      return { url, defaultBranch: text(path(repository, 'sf_devops__Default_Branch__c')) };
    }
    const pipeline = await this.pipeline(projectId);
    if (!pipeline) throw this.#noRepository(projectId);
    const [row] = await this.#query(
      `SELECT SourceCodeRepositoryBranch.SourceCodeRepository.Name, SourceCodeRepositoryBranch.SourceCodeRepository.ExternalRepositoryName, SourceCodeRepositoryBranch.SourceCodeRepository.RepositoryOwner, SourceCodeRepositoryBranch.SourceCodeRepository.Provider, SourceCodeRepositoryBranch.SourceCodeRepository.DefaultBranch, SourceCodeRepositoryBranch.SourceCodeRepository.SourceCodeRepoProvider.BaseUrl FROM DevopsPipelineStage WHERE DevopsPipelineId = ${soqlString(pipeline.id)} AND SourceCodeRepositoryBranchId != null LIMIT 1`,
    );
    const repository = path(row, 'SourceCodeRepositoryBranch', 'SourceCodeRepository') as Row | undefined;
    const owner = text(repository?.RepositoryOwner);
    const name = text(repository?.ExternalRepositoryName) ?? text(repository?.Name);
    if (!repository || !owner || !name) throw this.#noRepository(projectId);
    const provider = text(repository.Provider)?.toUpperCase();
    const base =
      text(path(repository, 'SourceCodeRepoProvider', 'BaseUrl')) ??
      (provider === 'BITBUCKET' ? 'https://bitbucket.org' : 'https://github.com');
    return {
      url: `${base.replace(/\/+$/, '')}/${owner}/${name}`,
      defaultBranch: text(repository.DefaultBranch),
    };
  }

  #noRepository(projectId: string): ToolError {
    return new ToolError(
      `DevOps Center project ${projectId} has no source control repository connected.`,
      'Connect a repository to the project in DevOps Center.',
      { kind: 'not-found' },
    );
  }

  async #workItems(where: string): Promise<WorkItem[]> {
    const rows = this.#mp
      ? await this.#query(
          `SELECT Id, Name, sf_devops__Subject__c, sf_devops__Description__c, sf_devops__State__c, sf_devops__Assigned_To__r.Name, sf_devops__Branch__r.sf_devops__Name__c, sf_devops__Project__c FROM sf_devops__Work_Item__c WHERE ${where} ORDER BY Name`,
        )
      : await this.#query(
          `SELECT Id, Name, Subject, Description, Status, AssignedTo.Name, SourceCodeRepositoryBranch.Name, DevopsProjectId, DevopsPipelineStageId FROM WorkItem WHERE ${where} ORDER BY Name`,
        );
    const reached = this.#mp ? await this.#reachedStages(rows.map((row) => String(row.Id))) : new Map();
    const items: WorkItem[] = [];
    for (const row of rows) {
      const projectId = String(this.#mp ? row.sf_devops__Project__c : row.DevopsProjectId);
      const pipeline = await this.pipeline(projectId);
      const stageId = this.#mp ? reached.get(String(row.Id)) : text(row.DevopsPipelineStageId);
      const stage = pipeline?.stages.find((candidate) => candidate.id === stageId);
      const nextStage = stage
        ? pipeline?.stages.find((candidate) => candidate.id === stage.nextStageId)
        : pipeline?.stages[0];
      items.push({
        id: String(row.Id),
        name: String(row.Name),
        subject: text(this.#mp ? row.sf_devops__Subject__c : row.Subject),
        description: text(this.#mp ? row.sf_devops__Description__c : row.Description),
        status: text(this.#mp ? row.sf_devops__State__c : row.Status) ?? 'NEW',
        assignee: text(
          this.#mp ? path(row, 'sf_devops__Assigned_To__r', 'Name') : path(row, 'AssignedTo', 'Name'),
        ),
        branch: text(
          this.#mp
            ? path(row, 'sf_devops__Branch__r', 'sf_devops__Name__c')
            : path(row, 'SourceCodeRepositoryBranch', 'Name'),
        ),
        projectId,
        ...(stage ? { stage } : {}),
        ...(nextStage ? { nextStage } : {}),
        ...(pipeline ? { pipeline } : {}),
      });
    }
    return items;
  }

  /**
   * Managed package: a work item's stage is the furthest one a completed promotion reached
   * (sf_devops__Work_Item_Promote__c with a completed deployment result).
   */
  async #reachedStages(workItemIds: string[]): Promise<Map<string, string>> {
    const reached = new Map<string, string>();
    if (workItemIds.length === 0) return reached;
    const rows = await this.#query(
      `SELECT sf_devops__Work_Item__c, sf_devops__Pipeline_Stage__c, sf_devops__Deployment_Result__r.sf_devops__Completion_Date__c FROM sf_devops__Work_Item_Promote__c WHERE sf_devops__Work_Item__c IN ${soqlList(workItemIds)}`,
    );
    const stagesOf = new Map<string, Set<string>>();
    for (const row of rows) {
      if (!path(row, 'sf_devops__Deployment_Result__r', 'sf_devops__Completion_Date__c')) continue;
      const item = String(row.sf_devops__Work_Item__c);
      const stages = stagesOf.get(item) ?? new Set<string>();
      stages.add(String(row.sf_devops__Pipeline_Stage__c));
      stagesOf.set(item, stages);
    }
    // Furthest along the pipeline: resolved by the caller's stage order, so keep the last in NextStage order.
    for (const [item, stages] of stagesOf) {
      const [projectRow] = await this.#query(
        `SELECT sf_devops__Project__c FROM sf_devops__Work_Item__c WHERE Id = ${soqlString(checkId(item, 'Work item id'))}`,
      );
      const pipeline = projectRow ? await this.pipeline(String(projectRow.sf_devops__Project__c)) : undefined;
      const furthest = [...(pipeline?.stages ?? [])].reverse().find((stage) => stages.has(stage.id));
      if (furthest) reached.set(item, furthest.id);
    }
    return reached;
  }

  async listWorkItems(projectId: string): Promise<WorkItem[]> {
    const id = soqlString(checkId(projectId, 'Project id'));
    return this.#workItems(this.#mp ? `sf_devops__Project__c = ${id}` : `DevopsProjectId = ${id}`);
  }

  /** The named work items, in the order asked; refuses names that match none. */
  async workItems(names: readonly string[]): Promise<WorkItem[]> {
    const found = await this.#workItems(`Name IN ${soqlList([...new Set(names)])}`);
    const missing = names.filter(
      (name) => !found.some((item) => item.name.toLowerCase() === name.toLowerCase()),
    );
    if (missing.length > 0)
      throw new ToolError(
        `No work item named ${missing.join(', ')} in ${this.org.label}.`,
        'list_devops_center_work_items lists a project’s work items.',
        { kind: 'not-found' },
      );
    return names.map(
      (name) => found.find((item) => item.name.toLowerCase() === name.toLowerCase()) as WorkItem,
    );
  }

  async workItem(name: string): Promise<WorkItem> {
    return (await this.workItems([name]))[0] as WorkItem;
  }

  async createWorkItem(projectId: string, subject: string, description?: string): Promise<WorkItem> {
    checkId(projectId, 'Project id');
    const created = await this.connect<Row>('POST', `projects/${projectId}/workitem`, {
      subject,
      ...(description ? { description } : {}),
    });
    const name = text(created.name) ?? text(created.Name);
    if (!name)
      throw new ToolError('DevOps Center created the work item but did not say its name.', undefined, {
        kind: 'failed',
      });
    return this.workItem(name);
  }

  async setStatus(item: WorkItem, status: string): Promise<WorkItem> {
    await this.connect(
      'PATCH',
      `projects/${checkId(item.projectId, 'Project id')}/workitem/${checkId(item.id, 'Work item id')}`,
      {
        status,
      },
    );
    return this.workItem(item.name);
  }

  /** Registers a pushed commit with the work item; DevOps Center then tracks it under `requestId`. */
  async registerCommit(
    item: WorkItem,
    commit: {
      commitId: string;
      commitMessage: string;
      changes: { fullName: string; type: string; operation: string }[];
    },
  ): Promise<RequestStatus> {
    const requestId = randomUUID();
    await this.connect('POST', `workItems/${checkId(item.id, 'Work item id')}/commitlite`, {
      requestId,
      ...commit,
    });
    return this.requestStatus(requestId);
  }

  async requestStatus(requestId: string): Promise<RequestStatus> {
    const [row] = await this.#query(
      `SELECT Status, Message, ErrorDetails FROM DevopsRequestInfo WHERE RequestToken = ${soqlString(requestId)} LIMIT 1`,
    );
    if (!row) return { requestId, status: 'NOT_FOUND' };
    const message = [text(row.Message), text(row.ErrorDetails)].filter(Boolean).join('\n');
    return { requestId, status: text(row.Status) ?? 'UNKNOWN', ...(message ? { message } : {}) };
  }

  async createReview(item: WorkItem): Promise<Review> {
    return this.connect<Review>('POST', `workItems/${checkId(item.id, 'Work item id')}/review`, {});
  }

  /** Starts a promotion of work items that share a pipeline and a stage; returns its request id. */
  async promote(
    items: readonly WorkItem[],
    target: Stage,
    options: { isFullDeploy: boolean; checkOnly?: boolean },
  ): Promise<string> {
    const pipelineId = checkId(items[0]?.pipeline?.id ?? '', 'Pipeline id');
    const response = await this.connect<Row>('POST', `pipelines/${pipelineId}/promote`, {
      workitemIds: items.map((item) => checkId(item.id, 'Work item id')),
      targetStageId: checkId(target.id, 'Stage id'),
      allWorkItemsInStage: false,
      isCheckDeploy: options.checkOnly ?? false,
      deployOptions: { testLevel: 'NoTestRun', isFullDeploy: options.isFullDeploy },
    });
    const requestId = text(response.requestId);
    if (!requestId)
      throw new ToolError(
        'DevOps Center accepted the promotion but returned no request id to follow.',
        undefined,
        {
          kind: 'failed',
        },
      );
    return requestId;
  }
}
