import { formatTable, z } from '@sfmcp/plugin-api';

/** Users × permission sets per call: each is one row of the answer. */
export const MAX_PAIRS = 500;

export const assignmentOutput = z.object({
  org: z.string(),
  results: z.array(
    z.object({
      user: z.string(),
      permissionSet: z.string(),
      kind: z.enum(['PermissionSet', 'PermissionSetGroup']),
      status: z.enum(['assigned', 'already assigned', 'removed', 'not assigned', 'failed']),
      /** The PermissionSetAssignment id, when there is one. */
      assignmentId: z.string().optional(),
      error: z.string().optional(),
    }),
  ),
  counts: z.record(z.string(), z.number()),
});
export type AssignmentOutput = z.infer<typeof assignmentOutput>;
export type AssignmentResult = AssignmentOutput['results'][number];

export function countStatuses(results: readonly AssignmentResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return counts;
}

export function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}

export function resultsTable(results: readonly AssignmentResult[]): string {
  return formatTable(
    results.map((result) => ({
      user: result.user,
      permissionSet: result.permissionSet,
      status: result.status,
      detail: result.error ?? result.assignmentId ?? '',
    })),
  );
}
