// Placeholder until the Metadata API lands (owned by the metadata/ work); the name is the contract.
import type { RouteHandler } from '../http/types.js';

/** Handles `POST /services/Soap/m/XX.X` (deploy, checkDeployStatus, retrieve, ...). */
export const handleMetadataSoap: RouteHandler = () => ({
  status: 500,
  headers: { 'content-type': 'text/xml' },
  body: '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:UNKNOWN_EXCEPTION</faultcode><faultstring>Metadata API is not available yet</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
});
