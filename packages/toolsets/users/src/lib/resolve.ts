/**
 * Finds the users and permission sets a call names. Users by Username, then Alias, then Name;
 * permission sets by API name, then label, and permission set groups by developer name, then label.
 * Everything is resolved before anything changes: a name that matches nothing, or several records,
 * is an error that names it, and nothing is changed.
 */
import type { Connection } from '@salesforce/core';
import { ToolError, formatTable, soqlList } from '@sfmcp/plugin-api';
import { type Row, path, queryAll } from './query.js';

export interface UserInfo {
  Id: string;
  Username: string;
  Name: string;
  Alias: string | null;
  Email: string | null;
  IsActive: boolean;
  Profile: string | null;
}

export interface PermissionTarget {
  kind: 'PermissionSet' | 'PermissionSetGroup';
  Id: string;
  /** API name (PermissionSet.Name or PermissionSetGroup.DeveloperName). */
  name: string;
  label: string;
}

const NOTHING_CHANGED = '\nNothing was changed.';
const USER_FIELDS = 'Id, Username, Name, Alias, Email, IsActive, Profile.Name';

function toUser(row: Row): UserInfo {
  return {
    Id: String(row.Id),
    Username: String(row.Username),
    Name: String(row.Name ?? ''),
    Alias: (row.Alias as string | null) ?? null,
    Email: (row.Email as string | null) ?? null,
    IsActive: row.IsActive === true,
    Profile: (path(row, 'Profile.Name') as string | null | undefined) ?? null,
  };
}

const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** Picks, per name, the rows matching the first key that matches any; several rows = ambiguous. */
function pick<T>(
  name: string,
  rows: readonly T[],
  keys: readonly ((row: T) => unknown)[],
): { found?: T; candidates: T[] } {
  for (const key of keys) {
    const matches = rows.filter((row) => same(key(row), name));
    if (matches.length === 1) return { found: matches[0], candidates: matches };
    if (matches.length > 1) return { candidates: matches };
  }
  return { candidates: [] };
}

/** The users named by username, alias or name, in the order given. */
export async function resolveUsers(
  connection: Connection,
  names: readonly string[],
  suffix = NOTHING_CHANGED,
): Promise<UserInfo[]> {
  const named = names.filter((name) => name.trim() !== '');
  if (named.length === 0) {
    throw new ToolError(`Name at least one user (a username, an alias or a name).${suffix}`, undefined, {
      kind: 'invalid',
    });
  }
  const list = soqlList(names);
  const rows = (
    await queryAll(
      connection,
      `SELECT ${USER_FIELDS} FROM User WHERE Username IN ${list} OR Alias IN ${list} OR Name IN ${list}`,
    )
  ).map(toUser);
  const problems: string[] = [];
  const users: UserInfo[] = [];
  for (const name of names) {
    const { found, candidates } = pick(name, rows, [(u) => u.Username, (u) => u.Alias, (u) => u.Name]);
    if (found) {
      if (!users.some((user) => user.Id === found.Id)) users.push(found);
    } else if (candidates.length > 1) {
      problems.push(
        `"${name}" matches ${candidates.length} users (${candidates
          .map((u) => u.Username)
          .sort()
          .join(', ')}): pass the username.`,
      );
    } else {
      problems.push(`No user has the username, alias or name "${name}".`);
    }
  }
  if (problems.length) {
    throw new ToolError(`${problems.join('\n')}${suffix}`, 'list_users finds users by name or email.');
  }
  return users;
}

/** Permission sets (not profiles' or groups' own) and permission set groups named by API name or label. */
export async function resolvePermissionSets(
  connection: Connection,
  names: readonly string[],
  suffix = NOTHING_CHANGED,
): Promise<PermissionTarget[]> {
  const list = soqlList(names);
  const [sets, groups] = await Promise.all([
    queryAll(
      connection,
      `SELECT Id, Name, Label, IsOwnedByProfile, PermissionSetGroupId FROM PermissionSet WHERE Name IN ${list} OR Label IN ${list}`,
    ),
    queryAll(
      connection,
      `SELECT Id, DeveloperName, MasterLabel FROM PermissionSetGroup WHERE DeveloperName IN ${list} OR MasterLabel IN ${list}`,
    ),
  ]);
  const candidates: (PermissionTarget & { profileOwned: boolean })[] = [
    ...sets
      .filter((row) => !row.PermissionSetGroupId)
      .map((row) => ({
        kind: 'PermissionSet' as const,
        Id: String(row.Id),
        name: String(row.Name),
        label: String(row.Label ?? row.Name),
        profileOwned: row.IsOwnedByProfile === true,
      })),
    ...groups.map((row) => ({
      kind: 'PermissionSetGroup' as const,
      Id: String(row.Id),
      name: String(row.DeveloperName),
      label: String(row.MasterLabel ?? row.DeveloperName),
      profileOwned: false,
    })),
  ];
  const problems: string[] = [];
  const targets: PermissionTarget[] = [];
  for (const name of names) {
    const { found, candidates: matches } = pick(name, candidates, [(c) => c.name, (c) => c.label]);
    if (found?.profileOwned) {
      problems.push(`"${name}" is the permission set of a profile: change the user's profile instead.`);
    } else if (found) {
      const { profileOwned: _owned, ...target } = found;
      if (!targets.some((other) => other.Id === target.Id)) targets.push(target);
    } else if (matches.length > 1) {
      problems.push(
        `"${name}" matches ${matches.length}: ${matches.map((m) => `${m.kind} ${m.name}`).join(', ')}; pass the API name.`,
      );
    } else {
      problems.push(`No permission set or permission set group is named "${name}".`);
    }
  }
  if (problems.length) {
    throw new ToolError(
      `${problems.join('\n')}${suffix}`,
      'list_permission_sets shows the permission sets and groups with their API names.',
    );
  }
  return targets;
}

/** Existing assignments of these targets to these users: "userId|targetId" → assignment Id. */
export async function existingAssignments(
  connection: Connection,
  users: readonly UserInfo[],
  targets: readonly PermissionTarget[],
): Promise<Map<string, string>> {
  const setIds = targets.filter((t) => t.kind === 'PermissionSet').map((t) => t.Id);
  const groupIds = targets.filter((t) => t.kind === 'PermissionSetGroup').map((t) => t.Id);
  const which = [
    ...(setIds.length ? [`PermissionSetId IN ${soqlList(setIds)}`] : []),
    ...(groupIds.length ? [`PermissionSetGroupId IN ${soqlList(groupIds)}`] : []),
  ].join(' OR ');
  const rows = await queryAll(
    connection,
    `SELECT Id, AssigneeId, PermissionSetId, PermissionSetGroupId FROM PermissionSetAssignment WHERE AssigneeId IN ${soqlList(users.map((u) => u.Id))} AND (${which})`,
  );
  const found = new Map<string, string>();
  for (const row of rows) {
    const target = row.PermissionSetGroupId ? String(row.PermissionSetGroupId) : String(row.PermissionSetId);
    found.set(assignmentKey(String(row.AssigneeId), target), String(row.Id));
  }
  return found;
}

export function assignmentKey(userId: string, targetId: string): string {
  return `${userId.slice(0, 15)}|${targetId.slice(0, 15)}`;
}

/** "Sales_Operations (permission set group)" */
export function targetLabel(target: PermissionTarget): string {
  return target.kind === 'PermissionSetGroup' ? `${target.name} (group)` : target.name;
}

/** A compact table of users for previews. */
export function usersTable(
  users: readonly UserInfo[],
  extra?: (user: UserInfo) => Record<string, unknown>,
): string {
  return formatTable(
    users.map((user) => ({
      Username: user.Username,
      Name: user.Name,
      Profile: user.Profile ?? '',
      Active: user.IsActive,
      ...(extra ? extra(user) : {}),
    })),
  );
}
