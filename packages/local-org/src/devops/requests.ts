/** DevopsRequestInfo: how both models' commit and promotion requests report their outcome. */
import type { LocalOrgState } from '../state/index.js';
import { formatDateTime } from '../state/values.js';

export interface RequestOutcome {
  token: string;
  operation: 'COMMIT' | 'PROMOTE';
  status: 'SUCCESS' | 'ERROR';
  message: string;
  /** As Salesforce writes it: JSON `{"errorType", "errorMessage"}`. */
  error?: { type: string; message: string };
}

const MESSAGE_LENGTH = 255;

export function requestTokenTaken(org: LocalOrgState, token: string): boolean {
  for (const row of org.records.rows('DevopsRequestInfo')) if (row.RequestToken === token) return true;
  return false;
}

/** Inserts the request's record, finished: the local org does its work before it answers. */
export function recordRequest(org: LocalOrgState, outcome: RequestOutcome): string {
  const message =
    outcome.message.length > MESSAGE_LENGTH
      ? `${outcome.message.slice(0, MESSAGE_LENGTH - 1)}…`
      : outcome.message;
  return org.records.insert(
    'DevopsRequestInfo',
    {
      RequestToken: outcome.token,
      OperationType: outcome.operation,
      Status: outcome.status,
      Message: message,
      ErrorDetails: outcome.error
        ? JSON.stringify({ errorType: outcome.error.type, errorMessage: outcome.error.message })
        : null,
      RequestCompletionDate: formatDateTime(org.now()),
    },
    { trusted: true },
  ).Id;
}
