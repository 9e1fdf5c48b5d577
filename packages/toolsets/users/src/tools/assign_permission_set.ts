import { ToolError, defineTool, toolResult, z, saveError, budgetAfter } from '@sfmcp/plugin-api';
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

export const assignPermissionSet = defineTool({
  name: 'assign_permission_set',
  title: 'Assign permission sets',
  description:
    'Assigns permission sets or permission set groups (API name or label) to users (username, alias or name; default: the org user). Reports each pair: assigned, already assigned, or failed with the reason. Unknown names change nothing.',
  input: z.object({
    permissionSetName: oneOrMany('Permission set or group: API name or label', 20),
    onBehalfOf: oneOrMany(
      'Users to assign to: username, alias or full name; default: the org user',
      100,
    ).optional(),
  }),
  output: assignmentOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  async handler({ permissionSetName, onBehalfOf }, ctx) {
    const names = asList(permissionSetName);
    const org = await ctx.org();
    const userNames = onBehalfOf === undefined ? [org.username] : asList(onBehalfOf);
    if (names.length === 0 || userNames.length === 0) {
      throw new ToolError('Name at least one permission set and one user. Nothing was changed.');
    }
    if (names.length * userNames.length > MAX_PAIRS) {
      throw new ToolError(
        `Refused: ${userNames.length} users × ${names.length} permission sets is more than ${MAX_PAIRS} assignments per call. Nothing was changed.`,
        'Split the users into several calls.',
      );
    }
    const { connection } = org;
    const [targets, users] = await Promise.all([
      resolvePermissionSets(connection, names),
      resolveUsers(connection, userNames),
    ]);
    const existing = await existingAssignments(connection, users, targets);

    const results: AssignmentResult[] = [];
    const toInsert: { index: number; record: Record<string, unknown> }[] = [];
    for (const user of users) {
      for (const target of targets) {
        const result: AssignmentResult = {
          user: user.Username,
          permissionSet: targetLabel(target),
          kind: target.kind,
          status: 'already assigned',
        };
        const current = existing.get(assignmentKey(user.Id, target.Id));
        if (current) result.assignmentId = current;
        else
          toInsert.push({
            index: results.length,
            record: { AssigneeId: user.Id, [`${target.kind}Id`]: target.Id },
          });
        results.push(result);
      }
    }
    const saved = await collections(
      connection,
      'create',
      'PermissionSetAssignment',
      toInsert.map((item) => item.record),
    );
    toInsert.forEach((item, offset) => {
      const result = results[item.index] as AssignmentResult;
      const outcome = saved[offset];
      if (outcome?.success && outcome.id) {
        result.status = 'assigned';
        result.assignmentId = outcome.id;
        return;
      }
      const error = saveError(outcome);
      // Assigned by someone else between our check and the insert: the end state is what was asked.
      if (error.code === 'DUPLICATE_VALUE') return;
      result.status = 'failed';
      result.error = `${error.code}: ${error.message}`;
    });

    const counts = countStatuses(results);
    const text = `Assignments: ${countsText(counts)}.\n${resultsTable(results, budgetAfter(ctx))}`;
    return toolResult({ text, structured: { org: org.username, results, counts }, org });
  },
});
