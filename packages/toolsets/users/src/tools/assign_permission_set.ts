import { defineTool, toolResult, z, saveError, budgetAfter } from '@sfmcp/plugin-api';
import {
  assignmentOutput,
  countStatuses,
  countsText,
  resultsTable,
  assignmentPairs,
} from '../lib/assignments.js';
import { collections } from '../lib/collections.js';
import { asList, oneOrMany } from '../lib/inputs.js';

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
    const pairs = await assignmentPairs(org.connection, names, userNames, 'already assigned');
    const results = pairs.map((pair) => pair.result);
    const toInsert = pairs
      .filter((pair) => pair.assignmentId === undefined)
      .map((pair) => ({
        result: pair.result,
        record: { AssigneeId: pair.user.Id, [`${pair.target.kind}Id`]: pair.target.Id },
      }));
    const saved = await collections(
      org.connection,
      'create',
      'PermissionSetAssignment',
      toInsert.map((item) => item.record),
    );
    toInsert.forEach(({ result }, offset) => {
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
