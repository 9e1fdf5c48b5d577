/**
 * An error Salesforce would answer with. REST renders it as
 * `[{ "message": ..., "errorCode": ..., "fields": [...] }]` with `status`; SOAP renders it as a fault.
 */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }
}
