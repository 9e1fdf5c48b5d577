import type { Connection } from '@salesforce/core';
import { ToolError, formatTable, takeWithinBudget, z } from '@sfmcp/plugin-api';
import {
  type PermissionTarget,
  type UserInfo,
  assignmentKey,
  existingAssignments,
  resolvePermissionSets,
  resolveUsers,
  targetLabel,
} from './resolve.js';

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

/** One user × permission set pair a call names, as it stands in the org now. */
export interface AssignmentPair {
  user: UserInfo;
  target: PermissionTarget;
  /** The current assignment, when there is one. */
  assignmentId?: string;
  result: AssignmentResult;
}

/**
 * Every user × permission set pair a call names, with its current assignment: what assign_permission_set and
 * remove_permission_set both start from. Refuses empty and oversize requests before anything is read.
 */
export async function assignmentPairs(
  connection: Connection,
  names: readonly string[],
  userNames: readonly string[],
  status: AssignmentResult['status'],
): Promise<AssignmentPair[]> {
  if (names.length === 0 || userNames.length === 0) {
    throw new ToolError('Name at least one permission set and one user. Nothing was changed.');
  }
  if (names.length * userNames.length > MAX_PAIRS) {
    throw new ToolError(
      `Refused: ${userNames.length} users × ${names.length} permission sets is more than ${MAX_PAIRS} pairs per call. Nothing was changed.`,
      'Split the users into several calls.',
    );
  }
  const [targets, users] = await Promise.all([
    resolvePermissionSets(connection, names),
    resolveUsers(connection, userNames),
  ]);
  const existing = await existingAssignments(connection, users, targets);
  return users.flatMap((user) =>
    targets.map((target) => {
      const assignmentId = existing.get(assignmentKey(user.Id, target.Id));
      return {
        user,
        target,
        ...(assignmentId ? { assignmentId } : {}),
        result: {
          user: user.Username,
          permissionSet: targetLabel(target),
          kind: target.kind,
          status,
          ...(assignmentId ? { assignmentId } : {}),
        },
      };
    }),
  );
}
