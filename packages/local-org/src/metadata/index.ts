/**
 * The SOAP Metadata API (`POST /services/Soap/m/XX.X`): deploy, checkDeployStatus, cancelDeploy,
 * deployRecentValidation, retrieve, checkRetrieveStatus, checkStatus, listMetadata and
 * describeMetadata, in the envelopes jsforce (and so source-deploy-retrieve) sends and parses.
 *
 * jsforce sends the session id only in the SOAP header (`SessionHeader/sessionId`), not as a
 * bearer token, so the server lets `/services/Soap/` through and this handler checks the session.
 */
import { XMLParser } from 'fast-xml-parser';
import { SalesforceApiError } from '../errors.js';
import { ENVELOPE_NAMESPACE, soapFaultXml } from '../http/soap.js';
import type { RouteHandler, RouteReply, RouteRequest } from '../http/types.js';
import type { OrgState } from '../state/types.js';
import {
  CorruptZipError,
  deployResultOf,
  failedOutcome as failedDeploy,
  readZip,
  runDeploy,
  type DeployOutcome,
} from './deploy.js';
import {
  advanceTimedJob,
  componentsDeployedSoFar,
  findDeployJob,
  orgTiming,
  findRetrieveJob,
  saveDeployJob,
  saveRetrieveJob,
  type DeployJob,
  type DeployOptionsInput,
} from './jobs.js';
import { allMetadataTypes, childType, metadataType } from './metadataTypes.js';
import { allFullNames, listChildren, retrieveComponent, runRetrieve } from './retrieve.js';
import { readComponentXml } from './read.js';
import { handleMetadataRest } from './rest.js';
import { newMetadataId } from './store.js';
import { asArray, manifestFromObject, METADATA_NAMESPACE, textOf, toXmlElements } from './xml.js';

/** A SOAP fault: `code` is `sf:<STATUS_CODE>` or `soapenv:Client`. */
export class SoapFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SoapFault';
  }
}

/** A Metadata API error, answered as an `sf:` fault over SOAP and as a JSON error over REST. */
export class MetadataError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'MetadataError';
  }
}

function sfFault(statusCode: string, message: string): MetadataError {
  return new MetadataError(statusCode, message);
}

function faultOf(error: MetadataError): SoapFault {
  return new SoapFault(`sf:${error.statusCode}`, `${error.statusCode}: ${error.message}`);
}

export function soapFaultReply(fault: SoapFault): RouteReply {
  const body = soapFaultXml(METADATA_NAMESPACE, fault.code, fault.message);
  return { status: 500, headers: { 'content-type': 'text/xml; charset=utf-8' }, body };
}

function soapReply(operation: string, result: unknown): RouteReply {
  return soapRawReply(operation, toXmlElements('result', result));
}

function soapRawReply(operation: string, resultXml: string): RouteReply {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENVELOPE_NAMESPACE}" xmlns="${METADATA_NAMESPACE}" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><${operation}Response>${resultXml}` +
    `</${operation}Response></soapenv:Body></soapenv:Envelope>`;
  return { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body };
}

const envelopeParser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

interface SoapCall {
  operation: string;
  sessionId?: string;
  args: Record<string, unknown>;
}

/** Reads the operation, its arguments and the session id from an envelope. */
export function parseSoapEnvelope(body: Buffer): SoapCall {
  const text = body.toString('utf8');
  let parsed: Record<string, unknown>;
  try {
    parsed = envelopeParser.parse(text, true) as Record<string, unknown>;
  } catch (error) {
    throw new SoapFault(
      'soapenv:Client',
      `Unable to parse the request: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const envelope = parsed.Envelope as Record<string, unknown> | undefined;
  if (!envelope || typeof envelope !== 'object')
    throw new SoapFault('soapenv:Client', 'The request is not a SOAP envelope: no Envelope element.');
  const soapBody = envelope.Body as Record<string, unknown> | undefined;
  if (!soapBody || typeof soapBody !== 'object')
    throw new SoapFault('soapenv:Client', 'The SOAP envelope has no Body.');
  const operations = Object.keys(soapBody);
  const operation = operations[0];
  if (!operation || operations.length !== 1)
    throw new SoapFault('soapenv:Client', 'The SOAP Body must hold exactly one operation.');
  const header = (envelope.Header ?? {}) as Record<string, unknown>;
  const sessionHeader = (header.SessionHeader ?? {}) as Record<string, unknown>;
  const sessionId = textOf(sessionHeader.sessionId);
  const args = soapBody[operation];
  return {
    operation,
    ...(sessionId ? { sessionId } : {}),
    args: typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {},
  };
}

type SessionValidator = (sessionId: string) => boolean;
const sessionValidators = new WeakMap<OrgState, SessionValidator>();

/** The server registers how to check a SOAP SessionHeader's session id (the org's access token). */
export function setSoapSessionValidator(org: OrgState, validator: SessionValidator): void {
  sessionValidators.set(org, validator);
}

function checkSession(request: RouteRequest, org: OrgState, call: SoapCall): void {
  const invalid = faultOf(
    sfFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session'),
  );
  const validator = sessionValidators.get(org);
  if (call.sessionId) {
    if (validator && !validator(call.sessionId)) throw invalid;
    return;
  }
  // No SessionHeader: a bearer token the server already checked is enough.
  if (request.headers.authorization) return;
  throw invalid;
}

function bool(value: unknown, fallback: boolean): boolean {
  const text = textOf(value);
  if (text === undefined || text === '') return fallback;
  return text === 'true';
}

const TEST_LEVELS = [
  'NoTestRun',
  'RunSpecifiedTests',
  'RunLocalTests',
  'RunAllTestsInOrg',
  'RunRelevantTests',
] as const;

function deployOptions(raw: Record<string, unknown>): DeployOptionsInput {
  const runTests = asArray(raw.runTests as unknown)
    .map(textOf)
    .filter((name): name is string => Boolean(name));
  const requested = textOf(raw.testLevel);
  const testLevel = TEST_LEVELS.find((level) => level === requested);
  if (requested && !testLevel) throw sfFault('INVALID_OPERATION', `Invalid testLevel: ${requested}`);
  if (testLevel === 'RunSpecifiedTests' && runTests.length === 0) {
    throw sfFault('INVALID_OPERATION', 'You must specify at least one test class with RunSpecifiedTests.');
  }
  if (testLevel === 'RunRelevantTests')
    throw sfFault('FUNCTIONALITY_NOT_ENABLED', 'RunRelevantTests is not supported by the local org.');
  return {
    checkOnly: bool(raw.checkOnly, false),
    rollbackOnError: bool(raw.rollbackOnError, true),
    testLevel:
      testLevel ??
      (bool(raw.runAllTests, false)
        ? 'RunAllTestsInOrg'
        : runTests.length > 0
          ? 'RunSpecifiedTests'
          : 'NoTestRun'),
    runTests,
    singlePackage: bool(raw.singlePackage, false),
    purgeOnDelete: bool(raw.purgeOnDelete, false),
    ignoreWarnings: bool(raw.ignoreWarnings, false),
    allowMissingFiles: bool(raw.allowMissingFiles, false),
  };
}

function asyncResult(job: DeployJob): Record<string, unknown> {
  return {
    done: job.status !== 'Pending' && job.status !== 'InProgress' && job.status !== 'Canceling',
    id: job.id,
    state: job.status === 'Pending' ? 'Queued' : job.status === 'InProgress' ? 'InProgress' : 'Completed',
  };
}

async function queueDeploy(
  org: OrgState,
  options: DeployOptionsInput,
  zipContent: Buffer,
): Promise<DeployJob> {
  if (zipContent.length === 0) throw sfFault('INVALID_OPERATION', 'No zip file content passed in');
  let files: Map<string, Buffer>;
  try {
    files = await readZip(zipContent);
  } catch (error) {
    if (error instanceof CorruptZipError)
      throw sfFault('INVALID_OPERATION', `The deploy zip file is corrupt: ${error.message}`);
    throw error;
  }
  const job: DeployJob = {
    id: newMetadataId(org, '0Af'),
    status: 'Pending',
    options,
    createdDate: org.now().toISOString(),
    zipBase64: zipContent.toString('base64'),
  };
  const durationMs = orgTiming(org).deployMs ?? 0;
  if (durationMs > 0) job.progress = { queuedAtMs: Date.now(), durationMs, total: namedMembers(files) };
  saveDeployJob(org, job);
  return job;
}

/** How many members a deploy's manifests (package.xml and destructive changes) name: a timed job's total. */
function namedMembers(files: Map<string, Buffer>): number {
  let count = 0;
  for (const [path, content] of files) {
    if (!/(^|\/)(package|destructiveChanges(Pre|Post)?)\.xml$/.test(path)) continue;
    count += (content.toString('utf8').match(/<members>/g) ?? []).length;
  }
  return count;
}

async function deploy(org: OrgState, args: Record<string, unknown>): Promise<RouteReply> {
  const zipText = textOf(args.ZipFile)?.replace(/\s+/g, '');
  if (!zipText) throw sfFault('INVALID_OPERATION', 'No zip file content passed in');
  const options = deployOptions((args.DeployOptions ?? {}) as Record<string, unknown>);
  const job = await queueDeploy(org, options, Buffer.from(zipText, 'base64'));
  return soapReply('deploy', asyncResult(job));
}

/** Runs a waiting deploy; the deploy call only queues it, as on Salesforce. */
async function processDeploy(org: OrgState, job: DeployJob): Promise<void> {
  if (!advanceTimedJob(org, job, Date.now())) return;
  if ((job.status !== 'Pending' && job.status !== 'InProgress') || !job.zipBase64) return;
  job.status = 'InProgress';
  job.startDate ??= org.now().toISOString();
  let outcome: DeployOutcome;
  try {
    outcome = await runDeploy(org, Buffer.from(job.zipBase64, 'base64'), job.options);
  } catch (error) {
    // A deploy the org could not process fails as a whole, as Salesforce reports an internal error.
    outcome = failedDeploy(
      `UNKNOWN_EXCEPTION: An unexpected error occurred in the local org (a test double): ${(error as Error).message}`,
      'UNKNOWN_EXCEPTION',
    );
  }
  job.completedDate = org.now().toISOString();
  job.status = outcome.status;
  job.result = deployResultOf(org, job, outcome);
  job.quickDeployable = outcome.quickDeployable;
  if (!job.quickDeployable) delete job.zipBase64;
  saveDeployJob(org, job);
}

function requireDeployJob(org: OrgState, id: string | undefined): DeployJob {
  const job = id ? findDeployJob(org, id) : undefined;
  if (!job) throw sfFault('INVALID_ID_FIELD', `Invalid deploy ID: ${id ?? ''}`);
  return job;
}

function pendingResult(org: OrgState, job: DeployJob): Record<string, unknown> {
  const user = org.records.get(org.userId);
  return {
    checkOnly: job.options.checkOnly,
    ...(job.completedDate ? { completedDate: job.completedDate } : {}),
    createdBy: org.userId,
    createdByName: String(user?.Name ?? org.username),
    createdDate: job.createdDate,
    details: {},
    done: job.status === 'Canceled',
    id: job.id,
    ignoreWarnings: job.options.ignoreWarnings,
    numberComponentErrors: 0,
    numberComponentsDeployed: componentsDeployedSoFar(job, Date.now()),
    numberComponentsTotal: job.progress?.total ?? 0,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: job.options.rollbackOnError,
    runTestsEnabled: job.options.testLevel !== 'NoTestRun',
    status: job.status,
    success: false,
  };
}

async function deployStatus(
  org: OrgState,
  id: string | undefined,
  process: boolean,
): Promise<{ job: DeployJob; result: Record<string, unknown> }> {
  const job = requireDeployJob(org, id);
  if (process) await processDeploy(org, job);
  return { job, result: job.result ? { ...job.result } : pendingResult(org, job) };
}

async function checkDeployStatus(org: OrgState, args: Record<string, unknown>): Promise<RouteReply> {
  const { job, result } = await deployStatus(org, textOf(args.asyncProcessId), true);
  const includeDetails = bool(args.includeDetails, false);
  if (!includeDetails && job.result) {
    const details = result.details as Record<string, unknown>;
    result.details = { componentFailures: details.componentFailures, runTestResult: details.runTestResult };
  }
  return soapReply('checkDeployStatus', result);
}

function cancelJob(org: OrgState, id: string | undefined): DeployJob {
  const job = requireDeployJob(org, id);
  if (job.status === 'Pending') {
    job.status = 'Canceled';
    job.completedDate = org.now().toISOString();
    delete job.zipBase64;
    saveDeployJob(org, job);
  } else if (job.status === 'InProgress' && job.progress) {
    // A timed deploy under way stops a little later, with nothing of it kept (it has not been applied).
    job.status = 'Canceling';
    job.progress.cancelAtMs = Date.now();
    saveDeployJob(org, job);
  }
  return job;
}

function cancelDeploy(org: OrgState, args: Record<string, unknown>): RouteReply {
  const job = cancelJob(org, textOf(args.id) ?? textOf(args.String) ?? textOf(args.asyncProcessId));
  return soapReply('cancelDeploy', { done: job.status !== 'Canceling', id: job.id });
}

function quickDeploy(org: OrgState, validationId: string | undefined): DeployJob {
  const validation = requireDeployJob(org, validationId);
  if (
    !validation.options.checkOnly ||
    validation.status !== 'Succeeded' ||
    !validation.quickDeployable ||
    !validation.zipBase64
  ) {
    throw sfFault(
      'INVALID_ID_FIELD',
      `The validation ID ${validation.id} isn't valid for a quick deploy: it must be a successful validation (checkOnly) whose Apex tests ran, not yet quick deployed.`,
    );
  }
  const job: DeployJob = {
    id: newMetadataId(org, '0Af'),
    status: 'Pending',
    options: { ...validation.options, checkOnly: false, testLevel: 'NoTestRun', runTests: [] },
    createdDate: org.now().toISOString(),
    zipBase64: validation.zipBase64,
  };
  validation.quickDeployable = false;
  delete validation.zipBase64;
  saveDeployJob(org, validation);
  saveDeployJob(org, job);
  return job;
}

function deployRecentValidation(org: OrgState, args: Record<string, unknown>): RouteReply {
  return soapReply('deployRecentValidation', quickDeploy(org, textOf(args.validationId)).id);
}

async function retrieve(org: OrgState, args: Record<string, unknown>): Promise<RouteReply> {
  const request = (args.request ?? {}) as Record<string, unknown>;
  if (asArray(request.packageNames as unknown).length > 0) {
    throw sfFault(
      'FUNCTIONALITY_NOT_ENABLED',
      'Retrieving by packageNames is not supported by the local org; retrieve with an unpackaged manifest.',
    );
  }
  if (asArray(request.specificFiles as unknown).length > 0) {
    throw sfFault(
      'FUNCTIONALITY_NOT_ENABLED',
      'Retrieving specificFiles is not supported by the local org; retrieve with an unpackaged manifest.',
    );
  }
  const unpackaged = request.unpackaged;
  if (!unpackaged || typeof unpackaged !== 'object') {
    throw sfFault('INVALID_OPERATION', 'Retrieve needs an unpackaged manifest (types and members).');
  }
  const manifest = manifestFromObject(unpackaged as Record<string, unknown>);
  const apiVersion = textOf(request.apiVersion);
  if (!manifest.version && apiVersion) manifest.version = apiVersion;
  const outcome = await runRetrieve(org, manifest, bool(request.singlePackage, false));
  const id = newMetadataId(org, '09S');
  saveRetrieveJob(org, {
    id,
    createdDate: org.now().toISOString(),
    result: {
      done: true,
      fileProperties: outcome.fileProperties,
      id,
      ...(outcome.messages.length ? { messages: outcome.messages } : {}),
      status: 'Succeeded',
      success: true,
      zipFile: outcome.zip.toString('base64'),
    },
  });
  return soapReply('retrieve', { done: false, id, state: 'Queued' });
}

function checkRetrieveStatus(org: OrgState, args: Record<string, unknown>): RouteReply {
  const id = textOf(args.asyncProcessId);
  const job = id ? findRetrieveJob(org, id) : undefined;
  if (!job) throw sfFault('INVALID_ID_FIELD', `Invalid retrieve ID: ${id ?? ''}`);
  const includeZip = bool(args.includeZip, true);
  const result = { ...job.result };
  if (!includeZip) delete result.zipFile;
  return soapReply('checkRetrieveStatus', result);
}

async function checkStatus(org: OrgState, args: Record<string, unknown>): Promise<RouteReply> {
  const ids = asArray(args.asyncProcessId as unknown)
    .map(textOf)
    .filter((id): id is string => Boolean(id));
  const results = [];
  for (const id of ids) {
    const deployJob = findDeployJob(org, id);
    if (deployJob) {
      await processDeploy(org, deployJob);
      results.push(asyncResult(deployJob));
      continue;
    }
    const retrieveJob = findRetrieveJob(org, id);
    if (retrieveJob) {
      results.push({ done: true, id: retrieveJob.id, state: 'Completed' });
      continue;
    }
    throw sfFault('INVALID_ID_FIELD', `Invalid async process ID: ${id}`);
  }
  return soapReply('checkStatus', results.length === 1 ? results[0] : results);
}

function listMetadata(org: OrgState, args: Record<string, unknown>): RouteReply {
  const queries = asArray(args.queries as unknown) as Array<Record<string, unknown>>;
  if (queries.length > 3) throw sfFault('INVALID_OPERATION', 'listMetadata takes at most 3 queries.');
  const results: unknown[] = [];
  for (const query of queries) {
    const typeName = textOf(query.type);
    const type = typeName ? metadataType(typeName) : undefined;
    if (!typeName) throw sfFault('INVALID_OPERATION', 'Each ListMetadataQuery needs a type.');
    const child = type ? undefined : childType(typeName);
    if (child) {
      results.push(...listChildren(org, child));
      continue;
    }
    if (!type) continue;
    const folder = textOf(query.folder);
    for (const fullName of allFullNames(org, type)) {
      if (type.inFolder && folder !== undefined && !fullName.startsWith(`${folder}/`)) continue;
      const component = retrieveComponent(org, type, fullName);
      if (component) results.push(component.properties);
    }
  }
  return soapReply('listMetadata', results);
}

function readMetadata(org: OrgState, args: Record<string, unknown>): RouteReply {
  const typeName = textOf(args.type);
  const type = typeName ? metadataType(typeName) : undefined;
  if (!typeName) throw sfFault('INVALID_OPERATION', 'readMetadata needs a type.');
  if (!type) throw sfFault('INVALID_TYPE', `Unknown type: ${typeName}`);
  const fullNames = asArray(args.fullNames as unknown)
    .map(textOf)
    .filter((name): name is string => Boolean(name));
  if (fullNames.length > 10) throw sfFault('EXCEEDED_ID_LIMIT', 'readMetadata takes at most 10 full names.');
  return soapRawReply(
    'readMetadata',
    `<result>${fullNames.map((fullName) => readComponentXml(org, type, fullName)).join('')}</result>`,
  );
}

function describeMetadata(): RouteReply {
  return soapReply('describeMetadata', {
    metadataObjects: allMetadataTypes().map((type) => ({
      childXmlNames: type.children.map((child) => child.xmlName),
      directoryName: type.directoryName,
      inFolder: type.inFolder,
      metaFile: type.metaFile,
      ...(type.suffix ? { suffix: type.suffix } : {}),
      xmlName: type.xmlName,
    })),
    organizationNamespace: '',
    partialSaveAllowed: true,
    testRequired: false,
  });
}

const UNSUPPORTED = new Set([
  'createMetadata',
  'updateMetadata',
  'upsertMetadata',
  'deleteMetadata',
  'renameMetadata',
  'cancelRetrieve',
]);

/** Handles `POST /services/Soap/m/XX.X` (deploy, checkDeployStatus, retrieve, ...). */
export const handleMetadataSoap: RouteHandler = async (request, org) => {
  if (/\/services\/data\/v\d+\.\d+\/metadata\//.test(request.path)) {
    try {
      return await handleMetadataRest(request, org, {
        queue: (options, zip) => queueDeploy(org, options, zip),
        quickDeploy: (validationId) => quickDeploy(org, validationId),
        status: (id, process) => deployStatus(org, id, process),
        cancel: (id) => cancelJob(org, id),
        options: deployOptions,
      });
    } catch (error) {
      if (error instanceof MetadataError)
        throw new SalesforceApiError(
          error.statusCode === 'INVALID_ID_FIELD' ? 404 : 400,
          error.statusCode,
          error.message,
        );
      throw error;
    }
  }
  try {
    if (request.method !== 'POST')
      throw new SoapFault(
        'soapenv:Client',
        `HTTP method ${request.method} is not supported; SOAP calls use POST.`,
      );
    const call = parseSoapEnvelope(request.body);
    checkSession(request, org, call);
    switch (call.operation) {
      case 'deploy':
        return await deploy(org, call.args);
      case 'checkDeployStatus':
        return await checkDeployStatus(org, call.args);
      case 'cancelDeploy':
        return cancelDeploy(org, call.args);
      case 'deployRecentValidation':
        return deployRecentValidation(org, call.args);
      case 'retrieve':
        return await retrieve(org, call.args);
      case 'checkRetrieveStatus':
        return checkRetrieveStatus(org, call.args);
      case 'checkStatus':
        return await checkStatus(org, call.args);
      case 'listMetadata':
        return listMetadata(org, call.args);
      case 'describeMetadata':
        return describeMetadata();
      case 'readMetadata':
        return readMetadata(org, call.args);
      default:
        if (UNSUPPORTED.has(call.operation)) {
          throw sfFault(
            'FUNCTIONALITY_NOT_ENABLED',
            `${call.operation} is not supported by the local org (a Salesforce test double); use deploy and retrieve.`,
          );
        }
        throw new SoapFault(
          'soapenv:Client',
          `No operation available for request {${METADATA_NAMESPACE}}${call.operation}, please check the WSDL for the service.`,
        );
    }
  } catch (error) {
    if (error instanceof SoapFault) return soapFaultReply(error);
    if (error instanceof MetadataError) return soapFaultReply(faultOf(error));
    if (error instanceof SalesforceApiError)
      return soapFaultReply(faultOf(sfFault(error.errorCode, error.message)));
    return soapFaultReply(
      faultOf(sfFault('UNKNOWN_EXCEPTION', `An unexpected error occurred: ${(error as Error).message}`)),
    );
  }
};
