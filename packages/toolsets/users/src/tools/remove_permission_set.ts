import { ToolError, defineTool, formatTable, toolResult, z, saveError, budgetAfter } from '@sfmcp/plugin-api';
import {
  type AssignmentResult,
  MAX_PAIRS,
  assignmentOutput,
  countStatuses,
  countsText,
  resultsTable,
} from '../lib/assignments.js';
import { collections } from '../lib/collections.js';
import { asList, oneOrMany } from '../lib/inputs.js';
import {
  assignmentKey,
  existingAssignments,
  resolvePermissionSets,
  resolveUsers,
  targetLabel,
} from '../lib/resolve.js';

export const removePermissionSet = defineTool({
  name: 'remove_permission_set',
  title: 'Remove permission sets',
  description:
    'Removes permission set or group assignments from users (username, alias or name). Shows the user who loses what and waits for approval; pairs that were not assigned are reported, not errors.',
  input: z.object({
    permissionSetName: oneOrMany('Permission set or group: API name or label', 20),
    onBehalfOf: oneOrMany('Users to remove it from: username, alias or full name', 100),
  }),
  output: assignmentOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler({ permissionSetName, onBehalfOf }, ctx) {
    const names = asList(permissionSetName);
    const userNames = asList(onBehalfOf);
    if (names.length === 0 || userNames.length === 0) {
      throw new ToolError('Name at least one permission set and one user. Nothing was changed.');
    }
    if (names.length * userNames.length > MAX_PAIRS) {
      throw new ToolError(
        `Refused: more than ${MAX_PAIRS} user × permission set pairs per call. Nothing was changed.`,
        'Split the users into several calls.',
      );
    }
    const org = await ctx.org();
    const { connection } = org;
    const [targets, users] = await Promise.all([
      resolvePermissionSets(connection, names),
      resolveUsers(connection, userNames),
    ]);
    const existing = await existingAssignments(connection, users, targets);

    const results: AssignmentResult[] = [];
    for (const user of users) {
      for (const target of targets) {
        const assignmentId = existing.get(assignmentKey(user.Id, target.Id));
        results.push({
          user: user.Username,
          permissionSet: targetLabel(target),
          kind: target.kind,
          status: 'not assigned',
          ...(assignmentId ? { assignmentId } : {}),
        });
      }
    }
    const toDelete = results.filter((result) => result.assignmentId !== undefined);
    if (toDelete.length > 0) {
      await ctx.confirm({
        summary: `Remove ${toDelete.length} permission set assignment${toDelete.length === 1 ? '' : 's'} in ${org.label} (${org.kind} org)`,
        details: formatTable(toDelete.map((result) => ({ user: result.user, loses: result.permissionSet }))),
      });
      const saved = await collections(
        connection,
        'delete',
        'PermissionSetAssignment',
        toDelete.map((result) => result.assignmentId as string),
      );
      toDelete.forEach((result, offset) => {
        const outcome = saved[offset];
        if (outcome?.success) {
          result.status = 'removed';
          return;
        }
        const error = saveError(outcome);
        if (error.code === 'ENTITY_IS_DELETED') {
          result.status = 'not assigned';
          return;
        }
        result.status = 'failed';
        result.error = `${error.code}: ${error.message}`;
      });
    }
    const counts = countStatuses(results);
    const text = `Removals: ${countsText(counts)}.\n${resultsTable(results, budgetAfter(ctx))}`;
    return toolResult({ text, structured: { org: org.username, results, counts }, org });
  },
});
