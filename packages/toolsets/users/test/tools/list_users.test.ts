import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import plugin from '../../src/index.js';
import { QUOTED, WITH_OR, startUsersServer, usersSeed } from '../seed.js';

type User = { Username: string; Active: boolean; Profile: string | null };
const usernames = (result: { structuredContent?: Record<string, unknown> }) =>
  (result.structuredContent?.users as User[]).map((user) => user.Username);

describe('list_users', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startUsersServer();
  });
  afterAll(() => server.close());

  it('lists every user as a compact table', async () => {
    const result = await server.call('list_users', {});
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain(
      'Username | Name | Alias | Email | Active | Profile | Role | LastLogin\n--- |',
    );
    expect(result.text).toContain("james.obrien@harborlane.sfmcp.test | James O'Brien | jobrien |");
    expect(result.structuredContent?.matched).toBe(11);
  });

  it('filters by active, profile and permission set (API name or label)', async () => {
    const inactive = await server.call('list_users', { isActive: false });
    expect(usernames(inactive)).toEqual(['tom.former@harborlane.sfmcp.test']);
    const readOnly = await server.call('list_users', { profile: 'Read Only' });
    expect(usernames(readOnly)).toEqual([
      'fatima.alsayed@harborlane.sfmcp.test',
      'lee.taylor@harborlane.sfmcp.test',
    ]);
    const salesOps = await server.call('list_users', { permissionSet: 'Sales Operations' });
    expect(usernames(salesOps)).toEqual([
      'james.obrien@harborlane.sfmcp.test',
      'priya.patel@harborlane.sfmcp.test',
    ]);
    const group = await server.call('list_users', { permissionSet: 'Sales_Team' });
    expect(usernames(group)).toEqual(['priya.patel@harborlane.sfmcp.test']);
    const missing = await server.call('list_users', { permissionSet: 'Nope' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('No permission set or permission set group is named "Nope".');
    expect(missing.text).not.toContain('Nothing was changed');
  });

  it('matches name and email text literally: quotes, "or" and LIKE wildcards', async () => {
    expect(usernames(await server.call('list_users', { name: "O'Neil" }))).toEqual([QUOTED]);
    expect(usernames(await server.call('list_users', { name: '.or.' }))).toEqual([WITH_OR]);
    expect(usernames(await server.call('list_users', { name: "' OR Name LIKE '" }))).toEqual([]);
    expect(usernames(await server.call('list_users', { email: '%' }))).toEqual([]);
    expect(usernames(await server.call('list_users', { email: 'dara.o_neil' }))).toEqual([]);
    expect(usernames(await server.call('list_users', { email: 'dara.oneil' }))).toEqual([QUOTED]);
  });

  it('refuses a cursor it did not seal (main issued unsigned base64 offsets like this one)', async () => {
    const wrong = await server.call('list_users', { isActive: true, cursor: 'eyJvZmZzZXQiOjV9' });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toContain('The cursor is not valid: it was not issued by this server.');
  });
});

describe('list_users over many users', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    const seed = usersSeed();
    seed.users = [
      ...(seed.users ?? []),
      ...Array.from({ length: 900 }, (_, index) => ({
        FirstName: 'Bulk',
        LastName: `Person ${String(index).padStart(4, '0')}`,
        Username: `bulk.person.${index}@volume.sfmcp.test`,
        Email: `bulk.person.${index}@volume.example`,
        Title: 'Temporary',
        ProfileId: '@profile:Standard User',
      })),
    ];
    server = await createLocalOrgTestServer({ plugins: [plugin], seed });
  });
  afterAll(() => server.close());

  it('cuts a table over the response budget with a cursor that continues it, dropping nobody', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const result = await server.call('list_users', {
        name: 'Bulk',
        limit: 2000,
        ...(cursor ? { cursor } : {}),
      });
      expect(result.isError).toBeFalsy();
      expect(result.text.length).toBeLessThan(60_000);
      seen.push(...usernames(result));
      cursor = result.structuredContent?.nextCursor as string | undefined;
      if (cursor) expect(result.text).toContain(`More: call again with cursor "${cursor}".`);
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toHaveLength(900);
    expect(new Set(seen).size).toBe(900);
  });
});
