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
  /**
   * For an org started with `timing.deployMs`: when the job was queued (epoch ms), how long it takes,
   * how many components its manifests name, and when a cancel was asked for. Its state is computed from
   * the elapsed time whenever it is asked for (no timers).
   */
  progress?: { queuedAtMs: number; durationMs: number; total: number; cancelAtMs?: number };
}

/** How long deploys and Apex test runs take in an org (`startLocalOrg({ timing })`); instant by default. */
export interface OrgTiming {
  deployMs?: number;
  testRunMs?: number;
}

const timings = new WeakMap<OrgState, OrgTiming>();

export function setOrgTiming(org: OrgState, timing: OrgTiming): void {
  for (const [name, value] of Object.entries(timing))
    if (value !== undefined && (!Number.isFinite(value) || value < 0))
      throw new Error(`timing.${name} must be a number of milliseconds (0 or more), not ${String(value)}`);
  timings.set(org, { ...timing });
}

export function orgTiming(org: OrgState): OrgTiming {
  return timings.get(org) ?? {};
}

const timers = new WeakMap<OrgState, Set<NodeJS.Timeout>>();

/** Runs `work` after `ms` (a timed Apex test run's next state); stopping the org clears what is left. */
export function scheduleOrgTimer(org: OrgState, ms: number, work: () => void): void {
  let set = timers.get(org);
  if (!set) {
    set = new Set();
    timers.set(org, set);
  }
  const own = set;
  const timer = setTimeout(() => {
    own.delete(timer);
    work();
  }, ms);
  timer.unref();
  own.add(timer);
}

export function clearOrgTimers(org: OrgState): void {
  for (const timer of timers.get(org) ?? []) clearTimeout(timer);
  timers.delete(org);
}

/** Part of a timed deploy spent Pending before it starts, and the time a cancel takes to finish. */
const PENDING_SHARE = 0.1;
const CANCEL_SHARE = 0.2;

/**
 * Moves a timed job along by the clock: Pending → InProgress once a tenth of its time has passed,
 * Canceling → Canceled a fifth of its time after the cancel. Returns true when the job should now run
 * (its time is up); false while it is still pending, in progress or being canceled.
 */
export function advanceTimedJob(org: OrgState, job: DeployJob, nowMs: number): boolean {
  const progress = job.progress;
  if (!progress) return true;
  if (job.status === 'Canceling') {
    if (nowMs - (progress.cancelAtMs ?? nowMs) >= progress.durationMs * CANCEL_SHARE) {
      job.status = 'Canceled';
      job.completedDate = org.now().toISOString();
      delete job.zipBase64;
      saveDeployJob(org, job);
    }
    return false;
  }
  if (job.status !== 'Pending' && job.status !== 'InProgress') return false;
  const elapsed = nowMs - progress.queuedAtMs;
  if (elapsed >= progress.durationMs) return true;
  if (job.status === 'Pending' && elapsed >= progress.durationMs * PENDING_SHARE) {
    job.status = 'InProgress';
    job.startDate = org.now().toISOString();
    saveDeployJob(org, job);
  }
  return false;
}

/** Components a timed job in progress has deployed so far: growing with the time, never all before it is done. */
export function componentsDeployedSoFar(job: DeployJob, nowMs: number): number {
  const progress = job.progress;
  if (!progress || job.status !== 'InProgress' || progress.total === 0) return 0;
  const start = progress.durationMs * PENDING_SHARE;
  const share = (nowMs - progress.queuedAtMs - start) / Math.max(1, progress.durationMs - start);
  return Math.max(0, Math.min(progress.total - 1, Math.floor(progress.total * share)));
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
