import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUsersServer } from '../seed.js';

type Row = { Name: string; Kind: string; ActiveUsers: number; Objects: string; System: string };

describe('list_permission_sets', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startUsersServer();
  });
  afterAll(() => server.close());

  it('shows what each grants and how many active users have it; no profile permission sets', async () => {
    const result = await server.call('list_permission_sets', {});
    expect(result.isError).toBeFalsy();
    const rows = result.structuredContent?.permissionSets as Row[];
    expect(rows.map((row) => row.Name).sort()).toEqual(
      [
        'API_Integration',
        'Apex_Developer',
        'Report_Builder',
        'Sales_Operations',
        'Sales_Team',
        'Support_Agent',
      ].sort(),
    );
    const salesOps = rows.find((row) => row.Name === 'Sales_Operations');
    expect(salesOps).toMatchObject({
      Kind: 'PermissionSet',
      ActiveUsers: 2,
      Objects: 'Account:RCE, Contact:RCE, Opportunity:RCED',
      System: 'ApiEnabled, RunReports',
    });
    expect(rows.find((row) => row.Name === 'API_Integration')?.Objects).toContain('Account:RCEV');
    expect(rows.find((row) => row.Name === 'Sales_Team')).toMatchObject({
      Kind: 'PermissionSetGroup',
      ActiveUsers: 1,
    });
    expect(result.text).toContain('Name | Label | Kind | ActiveUsers | Objects | System');
    expect(result.text).toContain(
      'Sales_Operations | Sales Operations | PermissionSet | 2 | Account:RCE, Contact:RCE, Opportunity:RCED | ApiEnabled, RunReports',
    );
  });

  it('filters by name or label, and can leave groups out', async () => {
    const result = await server.call('list_permission_sets', { name: 'sales', includeGroups: false });
    expect((result.structuredContent?.permissionSets as Row[]).map((row) => row.Name)).toEqual([
      'Sales_Operations',
    ]);
  });
});
