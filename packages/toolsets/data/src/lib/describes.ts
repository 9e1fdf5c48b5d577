import {
  type DescribeGlobalResult,
  type DescribeSObjectResult,
  type OrgHandle,
  salesforceCall,
} from '@sfmcp/plugin-api';
import { HINTS } from './hints.js';

export type { DescribeField, DescribeGlobalResult, DescribeSObjectResult } from '@sfmcp/plugin-api';

type Describer = Pick<OrgHandle, 'describe' | 'describeGlobal'>;

/**
 * The org's describe of one object (REST, or Tooling with `tooling`). The org handle caches it until a call
 * changes the org, so a field just deployed shows at once; failures come back as ToolErrors.
 */
export function describeObject(
  org: Describer,
  objectName: string,
  options: { tooling?: boolean } = {},
): Promise<DescribeSObjectResult> {
  return salesforceCall(() => org.describe(objectName, options), { hints: HINTS });
}

/** The org's describeGlobal (REST, or Tooling with `tooling`), cached on the org handle the same way. */
export function describeGlobal(
  org: Describer,
  options: { tooling?: boolean } = {},
): Promise<DescribeGlobalResult> {
  return salesforceCall(() => org.describeGlobal(options), { hints: HINTS });
}

/** The object name as the org spells it, from the key prefix of a record id. */
export async function objectForId(org: Describer, recordId: string): Promise<string | undefined> {
  const prefix = recordId.slice(0, 3);
  const global = await describeGlobal(org);
  return global.sobjects.find((sobject) => sobject.keyPrefix === prefix)?.name;
}
