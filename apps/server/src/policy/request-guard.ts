import { ToolError } from '@sfmcp/plugin-api';
import type { OrgRequest, OrgRequestObserver, OrgRequestTarget, OrgResponse } from '../orgs/call-scope.js';
import type { AppliedRule, DataRules } from './engine.js';
import { soqlReads } from './soql-reads.js';

type SoqlParser = { parseQuery(soql: string): unknown };

export interface RequestGuardOptions {
  /** The org it guards (lower case): requests to other orgs are another guard's. */
  username: string;
  rule: AppliedRule;
  data?: DataRules;
  maxQueryRows?: number;
  /** The rule says `"writes": false`: record writes and deploys are refused on the wire too. */
  writesRefused: boolean;
  /** @jetstreamapp/soql-parser-js, loaded when the rule has object or field rules. */
  parser?: SoqlParser;
  /** Record id key prefixes → object (lower case), for deletes by id. */
  keyPrefixes?: ReadonlyMap<string, string>;
}

const DATA_PATH = /^\/services\/data\/v\d+\.\d+\/(.*)$/;

function refused(rule: AppliedRule, why: string, hint?: string): ToolError {
  return new ToolError(`Refused by ${rule.label}: ${why}.`, hint, {
    kind: 'refused',
    code: 'POLICY_REFUSED',
  });
}

function jsonBody(body: unknown): unknown {
  if (typeof body !== 'string') return undefined;
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
 * The policy's object, field, row and write rules, checked on each request a call sends to its org: the one
 * place every tool's requests pass, so no tool can forget a rule. What cannot be checked (Apex, GraphQL, Bulk
 * 1.0) is refused while the rule restricts objects or fields.
 */
export class PolicyRequestGuard implements OrgRequestObserver {
  #rows = 0;
  constructor(private readonly options: RequestGuardOptions) {}

  #mine(target: OrgRequestTarget): boolean {
    return target.username.toLowerCase() === this.options.username;
  }

  beforeRequest(request: OrgRequest, target: OrgRequestTarget): void {
    if (!this.#mine(target)) return;
    let url: URL;
    try {
      url = new URL(request.url, 'http://org.invalid');
    } catch {
      return;
    }
    const path = decodeURIComponent(url.pathname);
    const { rule, data, writesRefused } = this.options;
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    if (/^\/services\/Soap\/m\//.test(path) || /\/metadata\/deployRequest/.test(path)) {
      if (writesRefused && (/deployRequest/.test(path) || /<(\w+:)?deploy>/.test(String(request.body ?? ''))))
        throw refused(rule, '"writes": false — a deploy changes the org', 'Nothing was deployed.');
      return;
    }
    if (/^\/services\/Soap\/s\//.test(path) || /\/tooling\/executeAnonymous/.test(path)) {
      if (writesRefused || data)
        throw refused(
          rule,
          `${writesRefused ? '"writes": false' : 'its object and field rules'} — anonymous Apex can read and change anything`,
        );
      return;
    }
    if (/^\/services\/async\//.test(path)) {
      if ((writesRefused && write) || data)
        throw refused(rule, 'the Bulk API 1.0 cannot be checked against it');
      return;
    }
    const match = DATA_PATH.exec(path);
    if (!match) return;
    const rest = match[1]!.replace(/^tooling\//, '');
    this.#checkResource(request.method, rest, url.searchParams, jsonBody(request.body), 0);
  }

  #checkResource(
    method: string,
    resource: string,
    params: URLSearchParams,
    body: unknown,
    depth: number,
  ): void {
    const { rule, data, writesRefused } = this.options;
    const write = method !== 'GET' && method !== 'HEAD';
    const segments = resource.split('/').filter(Boolean);
    const [head, second, third] = segments;
    if ((head === 'query' || head === 'queryAll') && !second) {
      const soql = params.get('q');
      if (soql && data) this.#checkSoql(soql);
      return;
    }
    if (head === 'search' || head === 'parameterizedSearch') {
      if (data) this.#checkSearch(params.get('q') ?? (isRecord(body) ? String(body.q ?? '') : ''));
      return;
    }
    if (head === 'graphql') {
      if (data || (writesRefused && /\bmutation\b/.test(String((body as { query?: unknown })?.query ?? ''))))
        throw refused(rule, 'GraphQL cannot be checked against its object and field rules');
      return;
    }
    if (head === 'jobs' && (second === 'ingest' || second === 'query')) {
      if (!isRecord(body) || method !== 'POST' || third) return;
      if (second === 'query' && data && typeof body.query === 'string') this.#checkSoql(body.query);
      if (second === 'ingest') this.#checkWrite(String(body.object ?? ''), []);
      return;
    }
    if (head === 'sobjects' && second) {
      const object = second.toLowerCase();
      if (third === 'describe' || third === 'listviews' || third === 'quickActions') return;
      if (!write) {
        if (third && data) this.#checkRecordRead(object, params);
        return;
      }
      this.#checkWrite(object, isRecord(body) ? Object.keys(body) : []);
      return;
    }
    if (head === 'composite') {
      if (depth > 2) throw refused(rule, 'composite requests nest too deeply to check');
      if (second === 'sobjects') {
        if (!write) {
          if (third && data) this.#checkRecordRead(third.toLowerCase(), params);
          return;
        }
        if (method === 'DELETE') {
          this.#checkDeleteByIds((params.get('ids') ?? '').split(','));
          return;
        }
        const records = isRecord(body) && Array.isArray(body.records) ? body.records : [];
        for (const record of records) {
          if (!isRecord(record)) continue;
          const type = isRecord(record.attributes)
            ? String(record.attributes.type ?? third ?? '')
            : (third ?? '');
          this.#checkWrite(
            type.toLowerCase(),
            Object.keys(record).filter((key) => key !== 'attributes'),
          );
        }
        return;
      }
      if (second === 'tree' && third) {
        this.#checkTree(third.toLowerCase(), isRecord(body) ? body.records : undefined, 0);
        return;
      }
      if (!second || second === 'batch') {
        const requests = isRecord(body)
          ? ((second ? body.batchRequests : body.compositeRequest) as unknown[] | undefined)
          : undefined;
        for (const sub of requests ?? []) {
          if (!isRecord(sub) || typeof sub.url !== 'string') continue;
          const inner = new URL(sub.url, 'http://org.invalid');
          const found = DATA_PATH.exec(decodeURIComponent(inner.pathname));
          const nested = found ? found[1]! : inner.pathname.replace(/^\/?v\d+\.\d+\//, '');
          this.#checkResource(
            String(sub.method ?? 'GET').toUpperCase(),
            nested.replace(/^tooling\//, ''),
            inner.searchParams,
            sub.body ?? sub.richInput,
            depth + 1,
          );
        }
        return;
      }
      if (write && (writesRefused || data))
        throw refused(rule, `composite/${second} cannot be checked against it`);
      return;
    }
    if (head === 'ui-api' && write && (writesRefused || data))
      throw refused(rule, 'UI API writes cannot be checked against it');
  }

  #checkTree(object: string, records: unknown, depth: number): void {
    if (!Array.isArray(records) || depth > 5) return;
    for (const record of records) {
      if (!isRecord(record)) continue;
      const fields: string[] = [];
      for (const [key, value] of Object.entries(record)) {
        if (key === 'attributes') continue;
        if (isRecord(value) && Array.isArray(value.records)) {
          const child =
            isRecord(value.records[0]) && isRecord(value.records[0].attributes)
              ? String(value.records[0].attributes.type ?? '').toLowerCase()
              : '';
          this.#checkTree(child, value.records, depth + 1);
        } else fields.push(key);
      }
      this.#checkWrite(object, fields);
    }
  }

  /** A name as the policy spells it. */
  #spell(name: string): string {
    return this.options.data?.spelled.get(name.toLowerCase()) ?? name;
  }

  #checkWrite(object: string, fields: readonly string[]): void {
    const { rule, data, writesRefused } = this.options;
    if (writesRefused)
      throw refused(rule, '"writes": false — tools may not change this org', 'Nothing was changed.');
    if (!data) return;
    if (data.noWriteObjects.has(object))
      throw refused(rule, `"objects.noWrite" lists ${this.#spell(object)}`, 'Nothing was changed.');
    const denied = data.noWriteFields.get(object);
    const field = fields.find((name) => denied?.has(name.toLowerCase()));
    if (field)
      throw refused(
        rule,
        `"fields.noWrite" lists ${this.#spell(`${object}.${field}`)}`,
        'Nothing was changed.',
      );
  }

  #checkDeleteByIds(ids: readonly string[]): void {
    const { rule, data, writesRefused } = this.options;
    if (writesRefused)
      throw refused(rule, '"writes": false — tools may not change this org', 'Nothing was deleted.');
    if (!data?.noWriteObjects.size) return;
    for (const id of ids) {
      const object = this.options.keyPrefixes?.get(id.trim().slice(0, 3));
      if (!object || data.noWriteObjects.has(object))
        throw refused(
          rule,
          object
            ? `"objects.noWrite" lists ${this.#spell(object)}`
            : `the object of ${id} is not known, and "objects.noWrite" restricts deletes`,
          'Nothing was deleted.',
        );
    }
  }

  #checkRecordRead(object: string, params: URLSearchParams): void {
    const { rule, data } = this.options;
    if (!data) return;
    if (data.noReadObjects.has(object)) throw refused(rule, `"objects.noRead" lists ${this.#spell(object)}`);
    const denied = data.noReadFields.get(object);
    if (!denied?.size) return;
    const asked = params.get('fields');
    if (!asked)
      throw refused(
        rule,
        `"fields.noRead" lists fields of ${this.#spell(object)}, and reading a whole record would return them`,
        'Query the fields you need with SOQL instead.',
      );
    const field = asked.split(',').find((name) => denied.has(name.trim().toLowerCase()));
    if (field) throw refused(rule, `"fields.noRead" lists ${this.#spell(`${object}.${field.trim()}`)}`);
  }

  #checkSoql(soql: string): void {
    const { rule, data, parser } = this.options;
    if (!data || !parser) return;
    let reads;
    try {
      reads = soqlReads(parser, soql);
    } catch (error) {
      // A query the policy cannot read is not sent: the rule could not be checked.
      throw refused(
        rule,
        `the query could not be checked against its object and field rules (${(error as Error).message.split('\n')[0]})`,
      );
    }
    for (const object of reads.objects)
      if (data.noReadObjects.has(object))
        throw refused(rule, `"objects.noRead" lists ${this.#spell(object)}`, 'Nothing was read.');
    for (const { object } of reads.fieldsFunctions) {
      const restricted = object ? data.noReadFields.has(object) : data.noReadFields.size > 0;
      if (restricted)
        throw refused(
          rule,
          `"fields.noRead" lists fields of ${object ? this.#spell(object) : 'the objects this subquery reads'}, which FIELDS() would return`,
          'Name the fields the query needs instead of FIELDS().',
        );
    }
    for (const { object, path } of reads.fields) {
      const name = path.split('.').pop()!.toLowerCase();
      if (object) {
        if (data.noReadFields.get(object)?.has(name))
          throw refused(
            rule,
            `"fields.noRead" lists ${this.#spell(`${object}.${name}`)}`,
            'Nothing was read.',
          );
        continue;
      }
      // Through a relationship the object is not known here: any object's field of that name is refused.
      for (const [owner, fields] of data.noReadFields)
        if (fields.has(name))
          throw refused(
            rule,
            `"fields.noRead" lists ${this.#spell(`${owner}.${name}`)}, and ${path} may be it`,
            'Nothing was read.',
          );
    }
  }

  #checkSearch(sosl: string): void {
    const { rule, data } = this.options;
    if (!data) return;
    const returning = /\bRETURNING\b([\s\S]*)$/i.exec(sosl)?.[1];
    if (!returning) {
      if (data.noReadObjects.size || data.noReadFields.size)
        throw refused(
          rule,
          'a search without RETURNING reads every object, and its rules restrict some',
          'Add RETURNING with the objects and fields to search.',
        );
      return;
    }
    for (const [, object, fieldList] of returning.matchAll(/([A-Za-z][\w]*)\s*(?:\(([^)]*)\))?/g)) {
      const name = object!.toLowerCase();
      if (
        /^(limit|offset|with|update|order|by|where|and|or|not|in|like|asc|desc|nulls|first|last)$/.test(name)
      )
        continue;
      if (data.noReadObjects.has(name)) throw refused(rule, `"objects.noRead" lists ${this.#spell(name)}`);
      const denied = data.noReadFields.get(name);
      const words = (fieldList ?? '').split(/[^\w.]+/).map((word) => word.toLowerCase());
      const field = words.find((word) => denied?.has(word.split('.').pop()!));
      if (field) throw refused(rule, `"fields.noRead" lists ${this.#spell(`${name}.${field}`)}`);
    }
  }

  afterResponse(request: OrgRequest, response: OrgResponse, target: OrgRequestTarget): void {
    const { maxQueryRows, rule } = this.options;
    if (maxQueryRows === undefined || !this.#mine(target) || request.method !== 'GET') return;
    if (!/\/services\/data\/v\d+\.\d+\/(tooling\/)?query(All)?(\/|\?|$)/.test(request.url)) return;
    const body = typeof response.body === 'string' ? jsonBody(response.body) : response.body;
    const records = isRecord(body) && Array.isArray(body.records) ? body.records.length : 0;
    this.#rows += records;
    if (this.#rows > maxQueryRows)
      throw refused(
        rule,
        `"maxQueryRows": ${maxQueryRows} — this call would read ${this.#rows}${isRecord(body) && typeof body.totalSize === 'number' ? ` of ${body.totalSize}` : ''} records`,
        `Narrow the query, or add LIMIT ${maxQueryRows}.`,
      );
  }
}
