import { defineTool, toolResult, z, saveError } from '@sfmcp/plugin-api';
import { collections } from '../lib/collections.js';
import { asList, oneOrMany } from '../lib/inputs.js';
import {
  confirmLockOut,
  resolveUsersToLockOut,
  type UserActionResult,
  resultsTable,
  statusCounts,
  userActionOutput,
} from '../lib/user-actions.js';

export const deactivateUser = defineTool({
  name: 'deactivate_user',
  title: 'Deactivate users',
  description:
    'Deactivates users (username, alias or name): they can no longer log in and free their license; records and assignments stay. Shows who and what they hold, and waits for approval. Refuses the org user itself.',
  input: z.object({
    users: oneOrMany('Users: username, alias or full name', 50),
  }),
  output: userActionOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler({ users: names }, ctx) {
    const org = await ctx.org();
    const { connection } = org;
    const users = await resolveUsersToLockOut(org, asList(names), 'deactivating');
    const results: UserActionResult[] = users.map((user) => ({
      user: user.Username,
      userId: user.Id,
      status: user.IsActive ? 'deactivated' : 'already inactive',
    }));
    const active = users.filter((user) => user.IsActive);
    if (active.length) {
      await confirmLockOut(ctx, org, active, 'Deactivate', 'they lose login access and their license');
      const saved = await collections(
        connection,
        'update',
        'User',
        active.map((user) => ({ Id: user.Id, IsActive: false })),
      );
      active.forEach((user, index) => {
        const outcome = saved[index];
        if (outcome?.success) return;
        const result = results.find((candidate) => candidate.userId === user.Id) as UserActionResult;
        const error = saveError(outcome);
        result.status = 'failed';
        result.error = `${error.code}: ${error.message}`;
      });
    }
    const text = `Users: ${statusCounts(results)}.\n${resultsTable(results)}`;
    return toolResult({ text, structured: { org: org.username, results }, org });
  },
});
