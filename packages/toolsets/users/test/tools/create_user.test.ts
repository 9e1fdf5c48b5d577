import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUOTED, assignedTo, countOf, startUsersServer, userByUsername } from '../seed.js';

describe('create_user (preview)', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startUsersServer(['--allow-non-ga-tools']);
  });
  afterAll(() => server.close());

  it('creates a user from a profile with sensible defaults and assigns permission sets', async () => {
    const result = await server.call('create_user', {
      profile: 'Standard User',
      firstName: 'Siobhán',
      lastName: "D'Arcy",
      email: 's.darcy@harborlane.example',
      username: "siobhan.d'arcy@harborlane.sfmcp.test",
      permissionSetNames: ['Sales_Operations', 'Sales Team'],
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toMatch(
      /Created user siobhan\.d'arcy@harborlane\.sfmcp\.test \(005\w+\), profile Standard User, alias sdarcy/,
    );
    expect(result.text).toContain('Assigned: Sales_Operations, Sales_Team (group).');
    const user = userByUsername(server, "siobhan.d'arcy@harborlane.sfmcp.test");
    expect(user).toMatchObject({
      LastName: "D'Arcy",
      Alias: 'sdarcy',
      EmailEncodingKey: 'UTF-8',
      IsActive: true,
    });
    expect(typeof user.TimeZoneSidKey).toBe('string');
    expect(assignedTo(server, "siobhan.d'arcy@harborlane.sfmcp.test")).toEqual([
      'Sales_Operations',
      'Sales_Team (group)',
    ]);
  });

  it('checks the username first: a taken one (with a quote) creates nothing', async () => {
    const before = countOf(server, 'User');
    const result = await server.call('create_user', {
      profile: 'Standard User',
      lastName: 'Twin',
      email: 'twin@harborlane.example',
      username: QUOTED,
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`The username ${QUOTED} is already taken in this org`);
    expect(countOf(server, 'User')).toBe(before);
  });

  it('refuses an unknown profile or permission set before creating anyone', async () => {
    const before = countOf(server, 'User');
    const profile = await server.call('create_user', {
      profile: 'Wizard',
      lastName: 'X',
      email: 'x@example.com',
    });
    expect(profile.isError).toBe(true);
    expect(profile.text).toContain('No profile is named "Wizard". No user was created.');
    expect(profile.text).toContain('Standard User');
    const set = await server.call('create_user', {
      profile: 'Standard User',
      lastName: 'X',
      email: 'x@example.com',
      permissionSetNames: ['Nope'],
    });
    expect(set.isError).toBe(true);
    expect(set.text).toContain(
      'No permission set or permission set group is named "Nope".\nNo user was created.',
    );
    expect(countOf(server, 'User')).toBe(before);
  });

  it('is a preview tool: not loaded without --allow-non-ga-tools', async () => {
    const plain = await startUsersServer();
    const names = (await plain.client.listTools()).tools.map((tool) => tool.name);
    expect(names).not.toContain('create_user');
    expect(names).toContain('assign_permission_set');
    await plain.close();
  });
});
