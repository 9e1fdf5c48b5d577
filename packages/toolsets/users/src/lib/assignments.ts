import { formatTable, takeWithinBudget, z } from '@sfmcp/plugin-api';

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

function rowOf(result: AssignmentResult): Record<string, unknown> {
  return {
    user: result.user,
    permissionSet: result.permissionSet,
    status: result.status,
    detail: result.error ?? result.assignmentId ?? '',
  };
}

/**
 * Every pair as a table; when that is longer than the budget, the failures first (as many as fit) and a
 * note that every result is in structuredContent.results — never silently dropped.
 */
export function resultsTable(results: readonly AssignmentResult[], budget: number): string {
  const all = formatTable(results.map(rowOf));
  if (all.length <= budget) return all;
  const failures = results.filter((result) => result.status === 'failed').map(rowOf);
  const where = 'every pair, with its status, is in structuredContent.results';
  if (failures.length === 0) return `The per-pair table is too long for this answer: ${where}.`;
  const page = takeWithinBudget(failures, (row) => JSON.stringify(row).length, budget);
  return `${formatTable(page.items)}
This table shows ${page.items.length} of ${failures.length} failures only (too long for this answer): ${where}.`;
}
