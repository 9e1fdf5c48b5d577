import type { OrgRequest, OrgRequestObserver, OrgRequestTarget, OrgResponse } from '../orgs/call-scope.js';

/** What one call touched on its orgs, for the audit file. */
export interface CallCounts {
  /** Records the org returned to queries and record reads. */
  read: number;
  /** Records the org reported created, updated or deleted. */
  written: number;
  /** Metadata components a deploy reported deployed (or deleted). */
  components: number;
}

const DATA = /\/services\/data\/v\d+\.\d+\/(.*)$/;

function parsed(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Results of a collection or composite answer that succeeded. */
function successes(body: unknown): number {
  if (Array.isArray(body)) return body.filter((item) => isRecord(item) && item.success === true).length;
  if (isRecord(body) && Array.isArray(body.compositeResponse))
    return body.compositeResponse.filter(
      (item) => isRecord(item) && typeof item.httpStatusCode === 'number' && item.httpStatusCode < 300,
    ).length;
  if (isRecord(body) && Array.isArray(body.results)) return body.results.length;
  return 0;
}

/**
 * Counts, from the org's own answers, what a call read and changed: query and record reads, REST writes
 * (single, collections, composite, tree), Bulk API 2.0 jobs' processed records and deploys' components.
 */
export class CallMeter implements OrgRequestObserver {
  readonly counts: CallCounts = { read: 0, written: 0, components: 0 };
  readonly #deploys = new Set<string>();
  readonly #jobs = new Set<string>();

  afterResponse(request: OrgRequest, response: OrgResponse, _target: OrgRequestTarget): void {
    const status = response.statusCode ?? 200;
    if (status >= 400) return;
    const path = DATA.exec(request.url.split('?')[0] ?? '')?.[1];
    if (path === undefined) {
      this.#soap(request, response);
      return;
    }
    const [head, second] = path.split('/');
    const body = parsed(response.body);
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    if (!write) {
      if (head === 'query' || head === 'queryAll' || head === 'tooling') {
        if (isRecord(body) && Array.isArray(body.records)) this.counts.read += body.records.length;
      } else if (head === 'sobjects' && isRecord(body) && typeof body.Id === 'string') this.counts.read += 1;
      else if (head === 'jobs' && isRecord(body) && body.state === 'JobComplete') {
        // A job's status is polled: count it once.
        if (typeof body.id !== 'string' || this.#jobs.has(body.id)) return;
        this.#jobs.add(body.id);
        const processed = Number(body.numberRecordsProcessed ?? 0) - Number(body.numberRecordsFailed ?? 0);
        if (second === 'ingest' && processed > 0) this.counts.written += processed;
      }
      return;
    }
    if (head === 'sobjects') this.counts.written += 1;
    else if (head === 'composite') this.counts.written += successes(body);
  }

  /** Metadata API answers are SOAP: a finished deploy says how many components it deployed. */
  #soap(request: OrgRequest, response: OrgResponse): void {
    if (!/\/services\/Soap\/m\//.test(request.url) || typeof response.body !== 'string') return;
    const body = response.body;
    if (!/<done>true<\/done>/.test(body) || !/<status>Succeeded|<status>SucceededPartial/.test(body)) return;
    const id = /<id>([^<]+)<\/id>/.exec(body)?.[1];
    if (!id || this.#deploys.has(id)) return;
    const deployed = /<numberComponentsDeployed>(\d+)<\/numberComponentsDeployed>/.exec(body);
    if (!deployed) return;
    this.#deploys.add(id);
    this.counts.components += Number(deployed[1]);
  }
}
