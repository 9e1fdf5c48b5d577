import { defineTool, formatTable, toolResult, z, saveError, budgetAfter } from '@sfmcp/plugin-api';
import {
  assignmentOutput,
  countStatuses,
  countsText,
  resultsTable,
  assignmentPairs,
} from '../lib/assignments.js';
import { collections } from '../lib/collections.js';
import { asList, oneOrMany } from '../lib/inputs.js';

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
    const org = await ctx.org();
    const { connection } = org;
    const results = (await assignmentPairs(connection, names, userNames, 'not assigned')).map(
      (pair) => pair.result,
    );
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
