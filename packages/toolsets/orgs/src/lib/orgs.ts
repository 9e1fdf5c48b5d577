import type { AllowedOrgSummary, OrgKind } from '@sfmcp/plugin-api';

export type ListedKind = OrgKind | 'unknown';

/** How results name an org: "alias (username)" or the username, as OrgHandle.label does. */
export function summaryLabel(org: Pick<AllowedOrgSummary, 'username' | 'alias'>): string {
  return org.alias ? `${org.alias} (${org.username})` : org.username;
}

/** The kind an auth file shows without connecting; production and developer orgs look alike there. */
export function kindFromAuthFile(org: AllowedOrgSummary): ListedKind {
  if (org.grantedBy === '--local-org') return 'local';
  if (org.isScratch) return 'scratch';
  if (org.isSandbox) return 'sandbox';
  return 'unknown';
}

/** Finds an allowed org by username (any case) or alias. */
export function findAllowed(
  orgs: readonly AllowedOrgSummary[],
  usernameOrAlias: string,
): AllowedOrgSummary | undefined {
  const wanted = usernameOrAlias.toLowerCase();
  return (
    orgs.find((org) => org.alias === usernameOrAlias) ??
    orgs.find((org) => org.username.toLowerCase() === wanted)
  );
}

/** YYYY-MM-DD of a date or datetime string; undefined for null or nonsense. */
export function dateOnly(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 10) return undefined;
  const day = value.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : undefined;
}
