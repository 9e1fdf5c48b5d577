import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUOTED, WITH_OR, assignedTo, countOf, startUsersServer } from '../seed.js';

describe('assign_permission_set', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startUsersServer();
  });
  afterAll(() => server.close());

  it('assigns two permission sets to two users, reporting each pair', async () => {
    const result = await server.call('assign_permission_set', {
      permissionSetName: ['Report_Builder', 'Support Agent'],
      onBehalfOf: ['wei.chen@harborlane.sfmcp.test', 'Maria Garcia'],
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toMatch(
      /^Org: local-test \(.+\) — sfmcp local org, a test double\nAssignments: 2 assigned, 2 already assigned\./,
    );
    const rows = result.structuredContent?.results as {
      user: string;
      permissionSet: string;
      status: string;
    }[];
    expect(rows.map((row) => [row.user, row.permissionSet, row.status])).toEqual([
      ['wei.chen@harborlane.sfmcp.test', 'Report_Builder', 'assigned'],
      ['wei.chen@harborlane.sfmcp.test', 'Support_Agent', 'already assigned'],
      ['maria.garcia@harborlane.sfmcp.test', 'Report_Builder', 'already assigned'],
      ['maria.garcia@harborlane.sfmcp.test', 'Support_Agent', 'assigned'],
    ]);
    expect(assignedTo(server, 'wei.chen@harborlane.sfmcp.test')).toEqual(['Report_Builder', 'Support_Agent']);
    expect(assignedTo(server, 'maria.garcia@harborlane.sfmcp.test')).toEqual([
      'Report_Builder',
      'Support_Agent',
    ]);

    const again = await server.call('assign_permission_set', {
      permissionSetName: ['Report_Builder', 'Support Agent'],
      onBehalfOf: ['wei.chen@harborlane.sfmcp.test', 'Maria Garcia'],
    });
    expect(again.isError).toBeFalsy();
    expect(again.text).toContain('Assignments: 4 already assigned.');
  });

  it('handles a username with a quote and one with the word "or" as plain values', async () => {
    const result = await server.call('assign_permission_set', {
      permissionSetName: 'Sales_Operations',
      onBehalfOf: [QUOTED, WITH_OR],
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain('Assignments: 2 assigned.');
    expect(assignedTo(server, QUOTED)).toEqual(['Sales_Operations']);
    expect(assignedTo(server, WITH_OR)).toEqual(['Sales_Operations']);
  });

  it('finds users by alias and by a name with a quote, and assigns a permission set group by label', async () => {
    const result = await server.call('assign_permission_set', {
      permissionSetName: 'Sales Team',
      onBehalfOf: ['ltor', "James O'Brien"],
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain('Assignments: 2 assigned.');
    expect(assignedTo(server, WITH_OR)).toContain('Sales_Team (group)');
    expect(assignedTo(server, 'james.obrien@harborlane.sfmcp.test')).toContain('Sales_Team (group)');
  });

  it('assigns to the org user by default (as @salesforce/mcp does)', async () => {
    const result = await server.call('assign_permission_set', { permissionSetName: 'Report_Builder' });
    expect(result.isError).toBeFalsy();
    expect(assignedTo(server, server.org.username)).toContain('Report_Builder');
  });

  it('refuses a permission set that does not exist and changes nothing', async () => {
    const before = countOf(server, 'PermissionSetAssignment');
    const result = await server.call('assign_permission_set', {
      permissionSetName: ['Report_Builder', 'No_Such_Set'],
      onBehalfOf: 'wei.chen@harborlane.sfmcp.test',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('No permission set or permission set group is named "No_Such_Set".');
    expect(result.text).toContain('Nothing was changed.');
    expect(countOf(server, 'PermissionSetAssignment')).toBe(before);
  });

  it('treats an injection attempt as a name that matches no user', async () => {
    const before = countOf(server, 'PermissionSetAssignment');
    const result = await server.call('assign_permission_set', {
      permissionSetName: 'Apex_Developer',
      onBehalfOf: "x' OR Username LIKE '%",
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`No user has the username, alias or name "x' OR Username LIKE '%".`);
    expect(countOf(server, 'PermissionSetAssignment')).toBe(before);
  });

  it('refuses a name that matches several users, listing them', async () => {
    const before = countOf(server, 'PermissionSetAssignment');
    const result = await server.call('assign_permission_set', {
      permissionSetName: 'Apex_Developer',
      onBehalfOf: 'Lee Taylor',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      `"Lee Taylor" matches 2 users (${WITH_OR}, lee.taylor@harborlane.sfmcp.test): pass the username.`,
    );
    expect(countOf(server, 'PermissionSetAssignment')).toBe(before);
  });

  it("refuses a profile's own permission set", async () => {
    const profileSet = [...server.org.state.records.rows('PermissionSet')].find(
      (set) => set.IsOwnedByProfile,
    );
    const result = await server.call('assign_permission_set', {
      permissionSetName: String(profileSet?.Name),
      onBehalfOf: 'wei.chen@harborlane.sfmcp.test',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("is the permission set of a profile: change the user's profile instead.");
  });
});
