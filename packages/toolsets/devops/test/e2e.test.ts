// A work item's whole way through DevOps Center, as an assistant walks it: created, started, checked out,
// changed, committed, reviewed, in conflict with a colleague's promoted change, resolved, promoted. Against
// the local org and its on-disk repositories; git runs inside the tools, and this test only looks.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevopsTestServer, git, startDevopsServer, tokenOf } from './setup.js';

const CALCULATOR = 'force-app/main/default/classes/DiscountCalculator.cls';

function withReturn(line: string): string {
  return `public with sharing class DiscountCalculator {
    public static Decimal discounted(Decimal amount, Decimal percent) {
        if (amount == null || percent == null) {
            return amount;
        }
        ${line}
    }
}
`;
}

describe('a work item from creation to promotion', () => {
  let server: DevopsTestServer;
  let clone: string;
  let remote: string;
  beforeAll(async () => {
    server = await startDevopsServer();
    clone = join(server.workspace, 'acme-sales-app');
    remote = join(server.org.gitRoot!, 'acme', 'acme-sales-app');
  });
  afterAll(() => server.close());

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await server.call(name, args);
    expect(result.isError, `${name}: ${result.text}`).toBeFalsy();
    return result;
  };
  const promote = async (names: string[]) => {
    const preview = await call('promote_devops_center_work_item', { workItemNames: names });
    expect(preview.text).toMatch(
      /Promote \d work items? from development to Integration \(branch integration\)/,
    );
    return call('promote_devops_center_work_item', {
      workItemNames: names,
      confirmationToken: tokenOf(preview.text),
    });
  };

  it('walks it through', async () => {
    const projects = await call('list_devops_center_projects', {});
    expect(projects.text).toContain('Acme Sales App');
    expect(projects.text).toContain('Integration (integration) → UAT (uat) → Production (main)');
    const projectId = (projects.structuredContent?.projects as { id: string }[])[0]!.id;

    const created = await call('create_devops_center_work_item', {
      projectId,
      subject: 'Cap discounts at 50%',
      description: 'Finance asked for a ceiling.',
    });
    const name = (created.structuredContent?.workItem as { name: string }).name;
    expect(name).toMatch(/^WI-\d{6}$/);
    expect(created.text).toContain('New');

    const started = await call('update_devops_center_work_item_status', {
      workItemName: name,
      status: 'In Progress',
    });
    expect(started.text).toContain(`${name}: New → In Progress`);
    expect((started.structuredContent?.workItem as { branch?: string }).branch).toBe(name);

    const checkedOut = await call('checkout_devops_center_work_item', {
      workItemName: name,
      localPath: 'acme-sales-app',
    });
    expect(checkedOut.structuredContent).toMatchObject({ action: 'cloned', branch: name });
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(name);

    // The change, made as a developer would, in the clone.
    writeFileSync(
      join(clone, CALCULATOR),
      withReturn('return amount - (amount * Math.min(percent, 50) / 100);'),
    );
    const committed = await call('commit_devops_center_work_item', {
      workItemName: name,
      commitMessage: 'Cap discounts at 50%',
      repoPath: 'acme-sales-app',
    });
    expect(committed.structuredContent).toMatchObject({
      branch: name,
      status: 'SUCCESS',
      components: [{ type: 'ApexClass', fullName: 'DiscountCalculator', operation: 'modify' }],
    });
    const commit = committed.structuredContent?.commit as string;
    expect(git(remote, 'rev-parse', `refs/heads/${name}`)).toBe(commit);
    const status = await call('check_devops_center_commit_status', {
      requestId: committed.structuredContent?.requestId as string,
    });
    expect(status.structuredContent).toMatchObject({ status: 'SUCCESS' });

    const review = await call('create_devops_center_pull_request', { workItemName: name });
    expect(review.structuredContent).toMatchObject({ sourceBranch: name, targetBranch: 'integration' });

    // Meanwhile a colleague's work item on the same line gets promoted to Integration first.
    await call('update_devops_center_work_item_status', { workItemName: 'WI-000002', status: 'In Progress' });
    await call('checkout_devops_center_work_item', {
      workItemName: 'WI-000002',
      localPath: 'acme-sales-app',
    });
    writeFileSync(
      join(clone, CALCULATOR),
      withReturn('return (amount - (amount * percent / 100)).setScale(2);'),
    );
    await call('commit_devops_center_work_item', {
      workItemName: 'WI-000002',
      commitMessage: 'Round discounts to cents',
      repoPath: 'acme-sales-app',
    });
    await call('update_devops_center_work_item_status', {
      workItemName: 'WI-000002',
      status: 'Ready to Promote',
    });
    const first = await promote(['WI-000002']);
    expect(first.structuredContent).toMatchObject({ status: 'SUCCESS', to: 'Integration' });

    // Ours now conflicts with Integration: found by git without a checkout…
    await call('checkout_devops_center_work_item', { workItemName: name, localPath: 'acme-sales-app' });
    const detected = await call('detect_devops_center_merge_conflict', {
      localPath: 'acme-sales-app',
      workItemName: name,
    });
    expect(detected.structuredContent).toMatchObject({
      source: name,
      target: 'integration',
      clean: false,
      conflicts: [{ path: CALCULATOR, kind: 'content', type: 'ApexClass', fullName: 'DiscountCalculator' }],
    });
    expect(git(clone, 'status', '--porcelain')).toBe('');

    // …a promotion would fail on it…
    await call('update_devops_center_work_item_status', { workItemName: name, status: 'Ready to Promote' });
    const failed = await promote([name]);
    expect(failed.structuredContent).toMatchObject({ status: 'ERROR' });
    expect(failed.text).toMatch(/MERGE_CONFLICT/);
    expect(failed.text).toContain('detect_devops_center_merge_conflict');

    // …so it is resolved: the merge stops at the conflict, then takes the merged content and validates.
    const stopped = await call('resolve_devops_center_merge_conflict', {
      workItemName: name,
      localPath: 'acme-sales-app',
    });
    expect(stopped.structuredContent).toMatchObject({
      state: 'conflicts',
      conflicts: [{ path: CALCULATOR }],
    });
    expect(stopped.text).toContain('<<<<<<<');
    const merged = withReturn('return (amount - (amount * Math.min(percent, 50) / 100)).setScale(2);');
    const resolved = await call('resolve_devops_center_merge_conflict', {
      workItemName: name,
      localPath: 'acme-sales-app',
      resolutions: [{ path: CALCULATOR, take: 'merged', content: merged }],
    });
    expect(resolved.structuredContent).toMatchObject({ state: 'merged' });
    expect(resolved.text).toContain('validated against the org');
    expect(git(remote, 'show', `refs/heads/${name}:${CALCULATOR}`)).toBe(merged.trim());

    const promoted = await promote([name]);
    expect(promoted.structuredContent).toMatchObject({
      status: 'SUCCESS',
      from: 'development',
      to: 'Integration',
    });
    expect(git(remote, 'show', `refs/heads/integration:${CALCULATOR}`)).toBe(merged.trim());
    const listed = await call('list_devops_center_work_items', {
      project: { Id: projectId },
      stage: 'Integration',
    });
    expect(listed.text).toContain(name);
    expect(listed.text).toContain('UAT (uat)');
    expect(readFileSync(join(clone, CALCULATOR), 'utf8')).toBe(merged);
  });
});
