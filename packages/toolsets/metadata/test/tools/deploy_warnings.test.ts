// What the org deploys but warns about reaches the user: a Flow the local org keeps as metadata only is
// shown as deployed, with the org's warning in its row (SDR's file responses drop that text).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { cleanUp, copyFixture } from '../helpers.js';

const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>62.0</apiVersion>
    <label>Greet New Accounts</label>
    <processType>AutoLaunchedFlow</processType>
    <status>Draft</status>
</Flow>
`;

let server: LocalOrgTestServer;
let project: string;

beforeAll(async () => {
  project = copyFixture();
  mkdirSync(join(project, 'force-app/main/default/flows'), { recursive: true });
  writeFileSync(join(project, 'force-app/main/default/flows/Greet_New_Accounts.flow-meta.xml'), FLOW);
  server = await createLocalOrgTestServer({ plugins: [plugin], args: ['--project-dir', project] });
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

describe('deploy_metadata warnings', () => {
  it("show the org's warning on a component it deployed", async () => {
    const result = await server.call('deploy_metadata', {
      sourceDir: ['force-app/main/default/flows'],
    });
    expect(result.isError, result.text).toBeFalsy();
    const components = (result.structuredContent as { components: Record<string, unknown>[] }).components;
    expect(components).toEqual([
      expect.objectContaining({
        state: 'Created',
        type: 'Flow',
        fullName: 'Greet_New_Accounts',
        problem: expect.stringMatching(
          /^Warning: The local org keeps this Flow as metadata only: it does not run\./,
        ),
      }),
    ]);
    expect(result.text).toContain('Warning: The local org keeps this Flow as metadata only');
  });
});
