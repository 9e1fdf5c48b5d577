import {
  ToolError,
  defineTool,
  toolResult,
  z,
  soqlList,
  toToolError,
  isSalesforceError,
} from '@sfmcp/plugin-api';

import { asList, oneOrMany } from '../lib/inputs.js';
import type { Row } from '../lib/query.js';
import {
  confirmLockOut,
  resolveUsersToLockOut,
  type UserActionResult,
  resultsTable,
  statusCounts,
  userActionOutput,
  applyLockOut,
} from '../lib/user-actions.js';
import { HINTS } from '../lib/hints.js';

export const freezeUser = defineTool({
  name: 'freeze_user',
  title: 'Freeze users',
  description:
    "Freezes users (username, alias or name) by setting UserLogin.IsFrozen: they cannot log in until unfrozen, without deactivation's side effects. Shows who and waits for approval. Refuses the org user itself.",
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
    const users = await resolveUsersToLockOut(org, asList(names), 'freezing');
    let logins: Row[];
    try {
      const found = await connection.query<Row>(
        `SELECT Id, UserId, IsFrozen FROM UserLogin WHERE UserId IN ${soqlList(users.map((user) => user.Id))}`,
        { autoFetch: true, maxFetch: 10_000 },
      );
      logins = found.records;
    } catch (error) {
      if (isSalesforceError(error) && error.errorCode === 'INVALID_TYPE') {
        throw new ToolError(
          'This org has no UserLogin object (INVALID_TYPE), where Salesforce keeps the frozen flag, so no user can be frozen here. Nothing was changed.',
          'The org user needs Manage Users to see UserLogin. deactivate_user also stops logins.',
        );
      }
      throw toToolError(error, { hints: HINTS, prefix: 'Could not read UserLogin (nothing was changed)' });
    }
    const loginOf = new Map(logins.map((login) => [String(login.UserId).slice(0, 15), login]));
    const results: UserActionResult[] = users.map((user) => {
      const login = loginOf.get(user.Id.slice(0, 15));
      return {
        user: user.Username,
        userId: user.Id,
        status: !login ? 'no login record' : login.IsFrozen === true ? 'already frozen' : 'frozen',
      };
    });
    const toFreeze = users.filter((user) => results.find((r) => r.userId === user.Id)?.status === 'frozen');
    if (toFreeze.length) {
      await confirmLockOut(ctx, org, toFreeze, 'Freeze', 'they cannot log in until unfrozen');
      await applyLockOut(
        connection,
        'UserLogin',
        toFreeze.map((user) => ({
          user,
          record: { Id: loginOf.get(user.Id.slice(0, 15))!.Id, IsFrozen: true },
        })),
        results,
      );
    }
    const text = `Users: ${statusCounts(results)}.\n${resultsTable(results)}`;
    return toolResult({ text, structured: { org: org.username, results }, org });
  },
});
