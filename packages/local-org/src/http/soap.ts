/** SOAP 1.1 envelopes, as Salesforce's SOAP APIs (Metadata, Apex) write them. */
import { escapeText } from '../metadata/xml.js';

export const ENVELOPE_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';

/** A fault envelope; `namespace` is the API's own, bound to the `sf` prefix that fault codes use. */
export function soapFaultXml(namespace: string, code: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENVELOPE_NAMESPACE}" xmlns:sf="${namespace}">` +
    `<soapenv:Body><soapenv:Fault><faultcode>${code}</faultcode><faultstring>${escapeText(message)}</faultstring>` +
    `</soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}
