/**
 * The org's own writes to records clients may not write (test results, coverage, ApexClass
 * derived fields). The record store accepts them as trusted writes, as it does for seeding.
 */
import type { OrgState, StoredRecord } from '../state/types.js';

interface TrustedWrites {
  insert(objectName: string, values: Record<string, unknown>, options: { trusted: boolean }): StoredRecord;
  update(
    objectName: string,
    id: string,
    values: Record<string, unknown>,
    options: { trusted: boolean },
  ): StoredRecord;
}

export function insertAsOrg(
  org: OrgState,
  objectName: string,
  values: Record<string, unknown>,
): StoredRecord {
  return (org.records as unknown as TrustedWrites).insert(objectName, values, { trusted: true });
}

export function updateAsOrg(
  org: OrgState,
  objectName: string,
  id: string,
  values: Record<string, unknown>,
): StoredRecord {
  return (org.records as unknown as TrustedWrites).update(objectName, id, values, { trusted: true });
}
