import type { Connection } from '@salesforce/core';
import {
  type OrgHandle,
  type ToolContext,
  ToolError,
  formatTable,
  saveError,
  soqlList,
  z,
} from '@sfmcp/plugin-api';
import { collections } from './collections.js';
import { path, queryAll } from './query.js';
import { type UserInfo, resolveUsers } from './resolve.js';

export const userActionOutput = z.object({
  org: z.string(),
  results: z.array(
    z.object({
      user: z.string(),
      userId: z.string(),
      status: z.enum([
        'deactivated',
        'already inactive',
        'frozen',
        'already frozen',
        'no login record',
        'failed',
      ]),
      error: z.string().optional(),
    }),
  ),
});
export type UserActionOutput = z.infer<typeof userActionOutput>;
export type UserActionResult = UserActionOutput['results'][number];

/** Each user's permission sets and groups (not the profile's), for previews: userId (15) → names. */
export async function permissionSetsOf(
  connection: Connection,
  users: readonly UserInfo[],
): Promise<Map<string, string[]>> {
  const rows = await queryAll(
    connection,
    `SELECT AssigneeId, PermissionSet.Name, PermissionSetGroup.DeveloperName FROM PermissionSetAssignment WHERE AssigneeId IN ${soqlList(users.map((user) => user.Id))} AND PermissionSet.IsOwnedByProfile = false`,
  );
  const byUser = new Map<string, string[]>();
  for (const row of rows) {
    const key = String(row.AssigneeId).slice(0, 15);
    const group = path(row, 'PermissionSetGroup.DeveloperName');
    const name = typeof group === 'string' ? `${group} (group)` : String(path(row, 'PermissionSet.Name'));
    byUser.set(key, [...(byUser.get(key) ?? []), name]);
  }
  return byUser;
}

export function resultsTable(results: readonly UserActionResult[]): string {
  return formatTable(
    results.map((result) => ({ user: result.user, status: result.status, error: result.error ?? '' })),
  );
}

export function statusCounts(results: readonly UserActionResult[]): string {
  const counts = new Map<string, number>();
  for (const result of results) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
}

/** The users named, refusing the org's own user: locking it out would lock the server out too. */
export async function resolveUsersToLockOut(
  org: OrgHandle,
  names: readonly string[],
  action: string,
): Promise<UserInfo[]> {
  const users = await resolveUsers(org.connection, names);
  const self = users.find((user) => user.Username.toLowerCase() === org.username.toLowerCase());
  if (self) {
    throw new ToolError(
      `Refused: ${self.Username} is the user this server is connected as; ${action} it would lock the server out. Nothing was changed.`,
    );
  }
  return users;
}

/** The review step before users lose access: who they are, their profile and what they hold. */
export async function confirmLockOut(
  ctx: ToolContext,
  org: OrgHandle,
  users: readonly UserInfo[],
  action: string,
  effect: string,
): Promise<void> {
  const held = await permissionSetsOf(org.connection, users);
  await ctx.confirm({
    summary: `${action} ${users.length} user${users.length === 1 ? '' : 's'} in ${org.label} (${org.kind} org): ${effect}`,
    details: formatTable(
      users.map((user) => ({
        Username: user.Username,
        Name: user.Name,
        Profile: user.Profile ?? '',
        PermissionSets: (held.get(user.Id.slice(0, 15)) ?? []).join(', '),
      })),
    ),
  });
}

/**
 * Saves one update per user (User.IsActive, UserLogin.IsFrozen) each on its own, and marks the users whose
 * update failed in `results`, with Salesforce's reason.
 */
export async function applyLockOut(
  connection: Connection,
  sobject: 'User' | 'UserLogin',
  updates: readonly { user: UserInfo; record: Record<string, unknown> }[],
  results: UserActionResult[],
): Promise<void> {
  const saved = await collections(
    connection,
    'update',
    sobject,
    updates.map((update) => update.record),
  );
  updates.forEach(({ user }, index) => {
    const outcome = saved[index];
    if (outcome?.success) return;
    const result = results.find((candidate) => candidate.userId === user.Id) as UserActionResult;
    const error = saveError(outcome);
    result.status = 'failed';
    result.error = `${error.code}: ${error.message}`;
  });
}
