import type { OrgKind } from '@sfmcp/plugin-api';

export interface OrgFacts {
  /** From the Organization record; undefined when it could not be read. */
  isSandbox?: boolean;
  organizationType?: string;
  trialExpirationDate?: string | null;
  /** From the sf auth file. */
  authIsScratch?: boolean;
  authIsSandbox?: boolean;
  instanceUrl: string;
}

function isLoopback(instanceUrl: string): boolean {
  try {
    const host = new URL(instanceUrl).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/**
 * What kind of org this is. Anything that cannot be shown to be something else is production:
 * the write guard must fail closed.
 */
export function classifyOrg(facts: OrgFacts): OrgKind {
  if (facts.organizationType === undefined && facts.isSandbox === undefined) {
    if (facts.authIsScratch) return 'scratch';
    if (facts.authIsSandbox) return 'sandbox';
    return 'production';
  }
  if (facts.isSandbox || facts.authIsSandbox) return 'sandbox';
  if (facts.authIsScratch) return 'scratch';
  if (facts.organizationType === 'Developer Edition') {
    if (facts.trialExpirationDate) return 'scratch';
    return isLoopback(facts.instanceUrl) ? 'local' : 'developer';
  }
  return 'production';
}
