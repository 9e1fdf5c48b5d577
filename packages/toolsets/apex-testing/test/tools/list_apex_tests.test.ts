import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE, SERVICE_TEST, startApexServer } from '../helpers.js';

let server: LocalOrgTestServer;

function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfmcp-apex-tests-'));
  writeFileSync(
    join(dir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }),
  );
  const classes = join(dir, 'force-app', 'main', 'default', 'classes');
  mkdirSync(classes, { recursive: true });
  writeFileSync(join(classes, 'InvoiceService.cls'), SERVICE);
  writeFileSync(join(classes, 'InvoiceServiceTest.cls'), SERVICE_TEST);
  writeFileSync(
    join(classes, 'LegacyTest.cls'),
    '@isTest\npublic class LegacyTest {\n  static testMethod void oldStyle() {}\n  @isTest static void newStyle() {}\n}\n',
  );
  writeFileSync(join(classes, 'Broken.cls'), '@isTest public class Broken {');
  return dir;
}

beforeAll(async () => {
  server = await startApexServer({ args: ['--project-dir', makeProject()] });
});

afterAll(async () => {
  await server?.close();
});

describe('list_apex_tests', () => {
  it('lists test classes from the project and the org, saying where each is', async () => {
    const result = await server.call('list_apex_tests', {});
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain('2 Apex test classes, 4 test methods (4 .cls files read in the project).');
    expect(result.text).toContain('InvoiceServiceTest | project, org | sumsAmounts, ignoresBlankAmounts');
    expect(result.text).toContain('LegacyTest | project | oldStyle, newStyle');
    expect(result.structuredContent).toMatchObject({
      classes: [
        {
          name: 'InvoiceServiceTest',
          inProject: true,
          inOrg: true,
          path: 'force-app/main/default/classes/InvoiceServiceTest.cls',
        },
        { name: 'LegacyTest', inProject: true, inOrg: false },
      ],
    });
  });

  it('lists only the org or only the project when asked', async () => {
    const org = await server.call('list_apex_tests', { source: 'org' });
    expect(
      (org.structuredContent as { classes: Array<{ name: string }> }).classes.map((entry) => entry.name),
    ).toEqual(['InvoiceServiceTest']);
    const project = await server.call('list_apex_tests', { source: 'project' });
    expect(project.text).not.toMatch(/^Org:/);
    expect((project.structuredContent as { classes: unknown[] }).classes).toHaveLength(2);
  });
});
