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

/**
 * The records on one query page, read from the page's head rather than by parsing it all again (jsforce
 * parses it already; a second parse of a 2,000-row page costs more than the rest of the call): Salesforce
 * puts `totalSize`, `done` and `nextRecordsUrl` before `records`, and the locators' `-<offset>` say where a
 * page starts and the next begins. Undefined when the answer is not shaped so (then it is parsed).
 */
export function queryPageSize(path: string, body: string): number | undefined {
  const recordsAt = body.indexOf('"records":');
  if (recordsAt < 0) return undefined;
  if (/^"records":\s*\[\s*\]/.test(body.slice(recordsAt, recordsAt + 20))) return 0;
  const head = body.slice(0, recordsAt);
  const total = /"totalSize":\s*(\d+)/.exec(head);
  const done = /"done":\s*(true|false)/.exec(head);
  if (!total || !done) return undefined;
  const start = Number(/(?:^|\/)(?:query|queryAll)\/[^/?]+-(\d+)$/.exec(path)?.[1] ?? 0);
  if (done[1] === 'true') {
    const count = Number(total[1]) - start;
    return count >= 0 ? count : undefined;
  }
  const next = /"nextRecordsUrl":\s*"[^"]*-(\d+)"/.exec(head);
  const count = next ? Number(next[1]) - start : NaN;
  return count > 0 ? count : undefined;
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
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    if (!write && (head === 'query' || head === 'queryAll' || head === 'tooling')) {
      const size = typeof response.body === 'string' ? queryPageSize(path, response.body) : undefined;
      if (size !== undefined) this.counts.read += size;
      else {
        const body = parsed(response.body);
        if (isRecord(body) && Array.isArray(body.records)) this.counts.read += body.records.length;
      }
      return;
    }
    const body = parsed(response.body);
    if (!write) {
      if (head === 'sobjects' && isRecord(body) && typeof body.Id === 'string') this.counts.read += 1;
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
