/**
 * Deploy and retrieve jobs, kept in `org.extensions` as plain JSON.
 */
import type { OrgState } from '../state/types.js';

export interface DeployOptionsInput {
  checkOnly: boolean;
  rollbackOnError: boolean;
  testLevel: 'NoTestRun' | 'RunSpecifiedTests' | 'RunLocalTests' | 'RunAllTestsInOrg' | 'RunRelevantTests';
  runTests: string[];
  singlePackage: boolean;
  purgeOnDelete: boolean;
  ignoreWarnings: boolean;
  allowMissingFiles: boolean;
}

export type DeployStatus =
  'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';

export interface DeployJob {
  id: string;
  status: DeployStatus;
  options: DeployOptionsInput;
  createdDate: string;
  startDate?: string;
  completedDate?: string;
  /** The zip while the job waits, and after a successful validation (for a quick deploy). */
  zipBase64?: string;
  /** Set once done: the DeployResult without its envelope. */
  result?: Record<string, unknown>;
  /** A validation whose tests passed and which a quick deploy may use (once). */
  quickDeployable?: boolean;
}

export interface RetrieveJob {
  id: string;
  createdDate: string;
  /** The RetrieveResult without its envelope. */
  result: Record<string, unknown>;
}

interface Jobs {
  deploys: Record<string, DeployJob>;
  retrieves: Record<string, RetrieveJob>;
  retrieveOrder: string[];
}

const JOBS_KEY = 'metadata.jobs';
/** Retrieve results hold whole zips; only the latest few are kept. */
const RETRIEVES_KEPT = 20;

function jobs(org: OrgState): Jobs {
  let value = org.extensions.get(JOBS_KEY) as Jobs | undefined;
  if (!value || typeof value !== 'object' || typeof value.deploys !== 'object') {
    value = { deploys: {}, retrieves: {}, retrieveOrder: [] };
    org.extensions.set(JOBS_KEY, value);
  }
  return value;
}

function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}

export function findDeployJob(org: OrgState, id: string): DeployJob | undefined {
  const all = jobs(org).deploys;
  return all[id] ?? Object.values(all).find((job) => sameId(job.id, id));
}

export function saveDeployJob(org: OrgState, job: DeployJob): void {
  jobs(org).deploys[job.id] = job;
  // Persistence listens for changes through the schema and records; re-setting marks the map as touched.
  org.extensions.set(JOBS_KEY, jobs(org));
}

export function findRetrieveJob(org: OrgState, id: string): RetrieveJob | undefined {
  const all = jobs(org).retrieves;
  return all[id] ?? Object.values(all).find((job) => sameId(job.id, id));
}

export function saveRetrieveJob(org: OrgState, job: RetrieveJob): void {
  const state = jobs(org);
  state.retrieves[job.id] = job;
  state.retrieveOrder.push(job.id);
  while (state.retrieveOrder.length > RETRIEVES_KEPT) {
    const oldest = state.retrieveOrder.shift();
    if (oldest) delete state.retrieves[oldest];
  }
  org.extensions.set(JOBS_KEY, state);
}
