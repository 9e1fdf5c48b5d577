// A promotion fails because the work item uses a field another work item brings: the tool reads the
// errors, finds the field in the project's package directories on each branch, and copies it over.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevopsTestServer, git, startDevopsServer } from './setup.js';

const SERVICE = 'force-app/main/default/classes/AccountService.cls';
const VIP = 'force-app/main/default/objects/Account/fields/VIP__c.field-meta.xml';
// As `sf project deploy` prints a component failure.
const ERRORS = `│ Error │ AccountService │ No such column 'VIP__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. │ 8:12 │`;

describe('resolve_devops_center_deployment_failure', () => {
  let server: DevopsTestServer;
  let clone: string;
  let remote: string;
  beforeAll(async () => {
    server = await startDevopsServer();
    clone = join(server.workspace, 'acme');
    remote = join(server.org.gitRoot!, 'acme', 'acme-sales-app');
    const checkedOut = await server.call('checkout_devops_center_work_item', {
      workItemName: 'WI-000001',
      localPath: 'acme',
    });
    expect(checkedOut.isError, checkedOut.text).toBeFalsy();
    writeFileSync(
      join(clone, SERVICE),
      git(clone, 'show', `HEAD:${SERVICE}`).replace('SELECT Region__c FROM', 'SELECT Region__c, VIP__c FROM'),
    );
    const committed = await server.call('commit_devops_center_work_item', {
      workItemName: 'WI-000001',
      commitMessage: 'AccountService: VIP accounts',
      repoPath: 'acme',
    });
    expect(committed.isError, committed.text).toBeFalsy();
  });
  afterAll(() => server.close());

  it('says where a missing field is, without changing anything', async () => {
    const head = git(remote, 'rev-parse', 'refs/heads/WI-000001');
    const result = await server.call('resolve_devops_center_deployment_failure', {
      workItemName: 'WI-000001',
      sourceBranchName: 'WI-000003',
      errorDetails: ERRORS,
      localPath: 'acme',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      mergeConflict: false,
      errors: [{ component: 'AccountService', missing: 'CustomField Account.VIP__c' }],
      findings: [
        {
          type: 'CustomField',
          name: 'Account.VIP__c',
          onSource: true,
          onTarget: false,
          onWorkItem: false,
          inOtherWorkItems: ['WI-000003'],
        },
      ],
    });
    expect(result.text).toContain('promote it first or together');
    expect(git(remote, 'rev-parse', 'refs/heads/WI-000001')).toBe(head);
  });

  it('without a clone, names what is missing and asks for one', async () => {
    const result = await server.call('resolve_devops_center_deployment_failure', {
      workItemName: 'WI-000001',
      sourceBranchName: 'WI-000003',
      errorDetails: ERRORS,
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toMatch(/Missing: CustomField Account\.VIP__c\.\nPass localPath/);
  });

  it('a merge conflict is not a deployment failure', async () => {
    const result = await server.call('resolve_devops_center_deployment_failure', {
      workItemName: 'WI-000001',
      sourceBranchName: 'WI-000001',
      errorDetails:
        'MERGE_CONFLICT: WI-000001 does not merge into integration. CONFLICTS: force-app/main/default/classes/AccountService.cls',
    });
    expect(result.structuredContent).toMatchObject({ mergeConflict: true, findings: [] });
    expect(result.text).toContain('detect_devops_center_merge_conflict');
  });

  it('apply: copies the field onto the work item branch and pushes it', async () => {
    const result = await server.call('resolve_devops_center_deployment_failure', {
      workItemName: 'WI-000001',
      sourceBranchName: 'WI-000003',
      errorDetails: ERRORS,
      localPath: 'acme',
      apply: true,
    });
    expect(result.isError, result.text).toBeFalsy();
    const commit = result.structuredContent?.commit as string;
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(remote, 'rev-parse', 'refs/heads/WI-000001')).toBe(commit);
    expect(git(remote, 'show', `refs/heads/WI-000001:${VIP}`)).toBe(
      git(remote, 'show', `refs/heads/WI-000003:${VIP}`),
    );
    expect(git(clone, 'status', '--porcelain')).toBe('');
  });
});
