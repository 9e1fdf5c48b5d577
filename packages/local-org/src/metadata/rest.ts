/**
 * The REST face of Metadata deploys (`/services/data/vXX.X/metadata/deployRequest`), which
 * source-deploy-retrieve uses with `apiOptions.rest`: a multipart POST of the zip and its
 * deployOptions, a JSON POST of a validatedDeployRequestId (quick deploy), GET for status and
 * PATCH to cancel. Jobs are the same as the SOAP API's.
 */
import { SalesforceApiError } from '../errors.js';
import type { RouteReply, RouteRequest } from '../http/types.js';
import type { OrgState } from '../state/types.js';
import type { DeployJob, DeployOptionsInput } from './jobs.js';

export interface DeployJobActions {
  queue(options: DeployOptionsInput, zip: Buffer): Promise<DeployJob>;
  quickDeploy(validationId: string): DeployJob;
  /** The job and its DeployResult; `process` runs a waiting job first (status checks do, the POST does not). */
  status(id: string, process: boolean): Promise<{ job: DeployJob; result: Record<string, unknown> }>;
  cancel(id: string): DeployJob;
  /** Checks options as the SOAP API does (same defaults and errors). */
  options(raw: Record<string, unknown>): DeployOptionsInput;
}

interface Part {
  name: string;
  contentType?: string;
  content: Buffer;
}

function badRequest(message: string, errorCode = 'INVALID_OPERATION'): SalesforceApiError {
  return new SalesforceApiError(400, errorCode, message);
}

/** Splits a multipart/form-data body into its parts. */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw badRequest('The multipart request has no boundary.', 'MALFORMED_REQUEST');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let position = body.indexOf(delimiter);
  while (position >= 0) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let chunk = body.subarray(start, next);
    if (chunk.subarray(0, 2).toString() === '\r\n') chunk = chunk.subarray(2);
    if (chunk.subarray(chunk.length - 2).toString() === '\r\n') chunk = chunk.subarray(0, chunk.length - 2);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const partType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
      parts.push({
        name,
        ...(partType ? { contentType: partType } : {}),
        content: chunk.subarray(headerEnd + 4),
      });
    }
    position = next;
  }
  return parts;
}

function headerText(request: RouteRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function jsonBody(request: RouteRequest): Record<string, unknown> {
  try {
    const value = JSON.parse(request.body.toString('utf8') || '{}') as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw badRequest('The request body is not a JSON object.', 'JSON_PARSER_ERROR');
}

function requestView(job: DeployJob, result: Record<string, unknown>): Record<string, unknown> {
  return { id: job.id, validatedDeployRequestId: null, deployOptions: job.options, deployResult: result };
}

export async function handleMetadataRest(
  request: RouteRequest,
  org: OrgState,
  actions: DeployJobActions,
): Promise<RouteReply> {
  void org;
  const match = /\/metadata\/deployRequest(?:\/([^/]+))?\/?$/.exec(request.path);
  if (!match) throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const id = match[1];
  if (!id) {
    if (request.method !== 'POST')
      throw new SalesforceApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${request.method}' not allowed. Allowed are POST`,
      );
    const contentType = headerText(request, 'content-type');
    if (/^application\/json/i.test(contentType)) {
      const validatedId = jsonBody(request).validatedDeployRequestId;
      if (typeof validatedId !== 'string') throw badRequest('validatedDeployRequestId is required.');
      const job = actions.quickDeploy(validatedId);
      const { result } = await actions.status(job.id, false);
      return { status: 201, body: requestView(job, result) };
    }
    if (!/^multipart\/form-data/i.test(contentType))
      throw badRequest('A deploy request is multipart/form-data with a zip file and its deploy options.');
    const parts = parseMultipart(request.body, contentType);
    const zip = parts.find((part) => part.name === 'file');
    if (!zip || zip.content.length === 0) throw badRequest('No zip file content passed in');
    const entity = parts.find((part) => part.name === 'entity_content');
    let rawOptions: Record<string, unknown> = {};
    if (entity) {
      try {
        rawOptions = ((
          JSON.parse(entity.content.toString('utf8')) as { deployOptions?: Record<string, unknown> }
        ).deployOptions ?? {}) as Record<string, unknown>;
      } catch {
        throw badRequest('entity_content is not valid JSON.', 'JSON_PARSER_ERROR');
      }
    }
    const stringified = Object.fromEntries(
      Object.entries(rawOptions).map(([key, value]) => [
        key,
        Array.isArray(value)
          ? value.map(String)
          : value === undefined || value === null
            ? undefined
            : String(value),
      ]),
    );
    const job = await actions.queue(actions.options(stringified), zip.content);
    const { result } = await actions.status(job.id, false);
    return { status: 201, body: requestView(job, result) };
  }
  if (request.method === 'GET') {
    const { job, result } = await actions.status(id, true);
    const includeDetails = request.query.get('includeDetails') === 'true';
    const shown = includeDetails ? result : { ...result, details: undefined };
    return { status: 200, body: requestView(job, shown) };
  }
  if (request.method === 'PATCH') {
    const wanted = (jsonBody(request).deployResult as { status?: unknown } | undefined)?.status;
    if (wanted !== 'Canceling') throw badRequest('Only deployResult.status = Canceling can be set.');
    const job = actions.cancel(id);
    const { result } = await actions.status(job.id, false);
    return { status: 202, body: requestView(job, result) };
  }
  throw new SalesforceApiError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${request.method}' not allowed. Allowed are GET,PATCH`,
  );
}
