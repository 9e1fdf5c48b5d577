import { demoSeed } from '@sfmcp/local-org';
import { createLocalOrgTestServer, type LocalOrgTestServer } from '@sfmcp/testkit';
import plugin from '../src/index.js';

/** Usernames a keyword blocklist would mangle: a quote, and the word "or". */
export const QUOTED = "dara.o'neil@harborlane.sfmcp.test";
export const WITH_OR = 'lee.or.taylor@harborlane.sfmcp.test';

export function usersSeed() {
  const seed = demoSeed({ today: new Date('2026-11-24T12:00:00Z') });
  seed.users = [
    ...(seed.users ?? []),
    {
      FirstName: 'Dara',
      LastName: "O'Neil",
      Username: QUOTED,
      Email: 'dara.oneil@harborlane.example',
      ProfileId: '@profile:Standard User',
    },
    {
      FirstName: 'Lee',
      LastName: 'Taylor',
      Alias: 'ltor',
      Username: WITH_OR,
      Email: 'lee.taylor@harborlane.example',
      ProfileId: '@profile:Standard User',
    },
    // a second Lee Taylor: "Lee Taylor" is ambiguous
    {
      FirstName: 'Lee',
      LastName: 'Taylor',
      Username: 'lee.taylor@harborlane.sfmcp.test',
      Email: 'lee.taylor2@harborlane.example',
      ProfileId: '@profile:Read Only',
    },
  ];
  return seed;
}

export function startUsersServer(args: string[] = []): Promise<LocalOrgTestServer> {
  return createLocalOrgTestServer({ plugins: [plugin], seed: usersSeed(), args });
}

type Row = Record<string, unknown>;

export function userByUsername(server: LocalOrgTestServer, username: string): Row {
  const row = [...server.org.state.records.rows('User')].find((user) => user.Username === username);
  if (!row) throw new Error(`no user ${username}`);
  return row;
}

export function permissionSetByName(server: LocalOrgTestServer, name: string): Row {
  const row = [...server.org.state.records.rows('PermissionSet')].find((set) => set.Name === name);
  if (!row) throw new Error(`no permission set ${name}`);
  return row;
}

/** API names of the permission sets and groups assigned to a user (not the profile's). */
export function assignedTo(server: LocalOrgTestServer, username: string): string[] {
  const user = userByUsername(server, username);
  const names: string[] = [];
  for (const row of server.org.state.records.rows('PermissionSetAssignment')) {
    if (row.AssigneeId !== user.Id) continue;
    if (typeof row.PermissionSetGroupId === 'string') {
      names.push(`${String(server.org.state.records.get(row.PermissionSetGroupId)?.DeveloperName)} (group)`);
      continue;
    }
    const set = server.org.state.records.get(row.PermissionSetId as string);
    if (set?.IsOwnedByProfile !== true) names.push(String(set?.Name));
  }
  return names.sort();
}

export function countOf(server: LocalOrgTestServer, object: string): number {
  return [...server.org.state.records.rows(object)].length;
}

export function tokenOf(text: string): string {
  const token = /confirmationToken: "([^"]+)"/.exec(text)?.[1];
  if (!token) throw new Error(`no confirmation token in: ${text}`);
  return token;
}
