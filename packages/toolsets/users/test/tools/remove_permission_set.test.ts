import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUOTED, assignedTo, countOf, startUsersServer, tokenOf } from '../seed.js';

describe('remove_permission_set', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startUsersServer();
    await server.call('assign_permission_set', { permissionSetName: 'Support_Agent', onBehalfOf: QUOTED });
  });
  afterAll(() => server.close());

  it('previews who loses what, waits for the token, then removes; not-assigned pairs are reported', async () => {
    const args = {
      permissionSetName: ['Sales_Operations', 'Support_Agent'],
      onBehalfOf: ['james.obrien@harborlane.sfmcp.test', QUOTED],
    };
    const before = countOf(server, 'PermissionSetAssignment');
    const first = await server.call('remove_permission_set', args);
    expect(first.isError).toBeFalsy(); // a preview is a successful result
    expect(first.text).toContain('Confirmation needed — nothing has been changed yet.');
    expect(first.text).toContain('Remove 2 permission set assignments in local-test');
    expect(first.text).toContain(
      `user | loses\n--- | ---\njames.obrien@harborlane.sfmcp.test | Sales_Operations\n${QUOTED} | Support_Agent`,
    );
    expect(countOf(server, 'PermissionSetAssignment')).toBe(before);

    const done = await server.call('remove_permission_set', {
      ...args,
      confirmationToken: tokenOf(first.text),
    });
    expect(done.isError).toBeFalsy();
    expect(done.text).toContain('Removals: 2 removed, 2 not assigned.');
    expect(assignedTo(server, 'james.obrien@harborlane.sfmcp.test')).toEqual([]);
    expect(assignedTo(server, QUOTED)).toEqual([]);

    const again = await server.call('remove_permission_set', args);
    expect(again.isError).toBeFalsy();
    expect(again.text).toContain('Removals: 4 not assigned.');
  });

  it('refuses an unknown permission set without asking', async () => {
    const result = await server.call('remove_permission_set', {
      permissionSetName: 'Ghost',
      onBehalfOf: 'priya.patel@harborlane.sfmcp.test',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('No permission set or permission set group is named "Ghost".');
    expect(assignedTo(server, 'priya.patel@harborlane.sfmcp.test')).toEqual([
      'Sales_Operations',
      'Sales_Team (group)',
    ]);
  });
});
