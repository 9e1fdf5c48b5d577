import { defineTool, toolResult, z } from '@sfmcp/plugin-api';

import { asList, oneOrMany } from '../lib/inputs.js';
import {
  confirmLockOut,
  resolveUsersToLockOut,
  type UserActionResult,
  resultsTable,
  statusCounts,
  userActionOutput,
  applyLockOut,
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
      await applyLockOut(
        connection,
        'User',
        active.map((user) => ({ user, record: { Id: user.Id, IsActive: false } })),
        results,
      );
    }
    const text = `Users: ${statusCounts(results)}.\n${resultsTable(results)}`;
    return toolResult({ text, structured: { org: org.username, results }, org });
  },
});
