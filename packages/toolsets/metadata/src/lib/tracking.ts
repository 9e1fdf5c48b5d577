import type { SourceTracking } from '@salesforce/source-tracking';
import type { DxProject, OrgHandle } from '@sfmcp/plugin-api';

/**
 * Source tracking for orgs that have it (scratch orgs and sandboxes with tracking on): undefined otherwise.
 * Production orgs never track source, and the local org does not (it has no SourceMember), so neither is asked.
 */
export async function openTracking(org: OrgHandle, project: DxProject): Promise<SourceTracking | undefined> {
  if (org.kind === 'production' || org.kind === 'local') return undefined;
  try {
    await org.connection.tooling.query('SELECT Id FROM SourceMember LIMIT 1');
  } catch {
    return undefined;
  }
  const [{ Org, SfProject }, { SourceTracking }] = await Promise.all([
    import('@salesforce/core'),
    import('@salesforce/source-tracking'),
  ]);
  const sfOrg = await Org.create({ connection: org.connection });
  const sfProject = await SfProject.resolve(project.root);
  return SourceTracking.create({
    org: sfOrg,
    project: sfProject,
    subscribeSDREvents: false,
    ignoreLocalCache: true,
  });
}

/** Components changed both locally and in the org since the last sync, as "Type:Name". */
export async function conflictsOf(tracking: SourceTracking): Promise<string[]> {
  const conflicts = await tracking.getConflicts();
  return [...new Set(conflicts.map((conflict) => `${conflict.type}:${conflict.name}`))];
}
