// The same tools on an org with the DevOps Center managed package (sf_devops__*__c objects), detected per
// org; and an org without DevOps Center, told so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevopsTestServer, git, startDevopsServer, tokenOf } from './setup.js';

const SERVICE = 'force-app/main/default/classes/AccountService.cls';

describe('DevOps Center as a managed package', () => {
  let server: DevopsTestServer;
  beforeAll(async () => {
    server = await startDevopsServer({ model: 'managed-package' });
  });
  afterAll(() => server.close());

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await server.call(name, args);
    expect(result.isError, `${name}: ${result.text}`).toBeFalsy();
    return result;
  };

  it('lists, checks out, commits and promotes', async () => {
    const projects = await call('list_devops_center_projects', {});
    expect(projects.text).toContain('Acme Sales App');
    expect(projects.text).toContain('Integration (integration) → UAT (uat) → Production (main)');
    const projectId = (projects.structuredContent?.projects as { id: string }[])[0]!.id;

    const ready = await call('list_devops_center_work_items', {
      project: { Id: projectId },
      status: 'Ready to Promote',
    });
    expect(ready.text).toContain('WI-000003');
    expect(ready.text).not.toContain('WI-000001');

    const clone = join(server.workspace, 'acme');
    await call('checkout_devops_center_work_item', { workItemName: 'WI-000001', localPath: 'acme' });
    writeFileSync(join(clone, SERVICE), `${git(clone, 'show', `HEAD:${SERVICE}`)}\n// reviewed\n`);
    const committed = await call('commit_devops_center_work_item', {
      workItemName: 'WI-000001',
      commitMessage: 'AccountService: reviewed',
      repoPath: 'acme',
    });
    expect(committed.structuredContent).toMatchObject({ branch: 'WI-000001', status: 'SUCCESS' });
    const remote = join(server.org.gitRoot!, 'acme', 'acme-sales-app');
    expect(git(remote, 'rev-parse', 'refs/heads/WI-000001')).toBe(committed.structuredContent?.commit);

    const preview = await call('promote_devops_center_work_item', { workItemNames: ['WI-000003'] });
    const promoted = await call('promote_devops_center_work_item', {
      workItemNames: ['WI-000003'],
      confirmationToken: tokenOf(preview.text),
    });
    expect(promoted.structuredContent).toMatchObject({ status: 'SUCCESS', to: 'Integration' });
    expect(git(remote, 'ls-tree', '--name-only', '-r', 'refs/heads/integration')).toContain(
      'force-app/main/default/objects/Account/fields/VIP__c.field-meta.xml',
    );
    const inIntegration = await call('list_devops_center_work_items', {
      project: { Id: projectId },
      stage: 'Integration',
    });
    expect(inIntegration.text).toContain('WI-000003');
  });
});

describe('an org without DevOps Center', () => {
  let server: DevopsTestServer;
  beforeAll(async () => {
    server = await startDevopsServer({ model: 'none' });
  });
  afterAll(() => server.close());

  it('says so', async () => {
    const result = await server.call('list_devops_center_projects', {});
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /DevOps Center is not set up in .*: it has neither DevopsProject nor sf_devops__Project__c/,
    );
  });
});
