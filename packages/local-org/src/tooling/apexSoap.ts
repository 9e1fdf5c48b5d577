/**
 * The Apex SOAP API's executeAnonymous (`POST /services/Soap/s/XX.X[/orgId]`), which
 * @salesforce/apex-node's ExecuteService (and so `sf apex run`) uses instead of the Tooling REST
 * call, to get the debug log back in the `DebuggingInfo` header in the same round trip.
 */
import { XMLParser } from 'fast-xml-parser';
import { ENVELOPE_NAMESPACE, soapFaultXml } from '../http/soap.js';
import type { RouteHandler, RouteReply } from '../http/types.js';
import { escapeText } from '../metadata/xml.js';
import type { OrgState } from '../state/types.js';
import { anonymousApexResult, writeApexLog } from './anonymous.js';

const APEX_NAMESPACE = 'http://soap.sforce.com/2006/08/apex';

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
});

function fault(code: string, message: string): RouteReply {
  return {
    status: 500,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: soapFaultXml(APEX_NAMESPACE, code, message),
  };
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name} xsi:nil="true"/>`;
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

/** The debug log a declared run leaves, for the DebuggingInfo header: the declared log, or a short one saying it ran. */
function debugLog(org: OrgState, body: string, log: string | undefined): string {
  if (log !== undefined) return log;
  const time = org.now().toISOString().slice(11, 19);
  return `62.0 APEX_CODE,DEBUGONLY\nExecute Anonymous: ${body.split('\n').join('\nExecute Anonymous: ')}\n${time}.0 (0)|EXECUTION_STARTED\n${time}.0 (0)|EXECUTION_FINISHED\n`;
}

/** Handles `POST /services/Soap/s/XX.X[/...]` (executeAnonymous). */
export const handleApexSoap: RouteHandler = (request, org) => {
  if (request.method !== 'POST')
    return fault('soapenv:Client', `HTTP method ${request.method} is not supported; SOAP calls use POST.`);
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(request.body.toString('utf8'), true) as Record<string, unknown>;
  } catch (error) {
    return fault('soapenv:Client', `Unable to parse the request: ${(error as Error).message.split('\n')[0]}`);
  }
  const envelope = parsed.Envelope as Record<string, unknown> | undefined;
  const soapBody = (envelope?.Body ?? undefined) as Record<string, unknown> | undefined;
  if (!soapBody || typeof soapBody !== 'object')
    return fault('soapenv:Client', 'The request is not a SOAP envelope with a Body.');
  const operation = Object.keys(soapBody)[0];
  if (operation !== 'executeAnonymous') {
    return fault(
      'soapenv:Client',
      `No operation available for request {${APEX_NAMESPACE}}${operation ?? ''}, please check the WSDL for the service.`,
    );
  }
  const args = soapBody.executeAnonymous as Record<string, unknown> | string | undefined;
  const code = typeof args === 'object' && args !== null ? String(args.apexcode ?? args.String ?? '') : '';
  const { result, log, executed } = anonymousApexResult(org, code);
  if (log !== undefined) writeApexLog(org, log, 'executeAnonymous');
  const fields = [
    'column',
    'compileProblem',
    'compiled',
    'exceptionMessage',
    'exceptionStackTrace',
    'line',
    'success',
  ];
  const resultXml = fields.map((name) => element(name, result[name])).join('');
  // A block that did not run (a compile problem, or no declared outcome) leaves no log: none is invented.
  const header =
    executed || log !== undefined
      ? `<soapenv:Header><DebuggingInfo><debugLog>${escapeText(debugLog(org, code, log))}</debugLog></DebuggingInfo></soapenv:Header>`
      : '';
  return {
    status: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENVELOPE_NAMESPACE}" xmlns="${APEX_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      `${header}<soapenv:Body><executeAnonymousResponse><result>${resultXml}</result></executeAnonymousResponse></soapenv:Body></soapenv:Envelope>`,
  };
};
