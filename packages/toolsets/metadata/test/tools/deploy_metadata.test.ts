import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { cleanUp, copyFixture, query, tempDir } from '../helpers.js';

let server: LocalOrgTestServer;
let project: string;
const classes = () => join(project, 'force-app/main/default/classes');

beforeAll(async () => {
  project = copyFixture();
  server = await createLocalOrgTestServer({ plugins: [plugin], args: ['--project-dir', project] });
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

function addClass(name: string, body: string): void {
  writeFileSync(join(classes(), `${name}.cls`), body);
  writeFileSync(
    join(classes(), `${name}.cls-meta.xml`),
    readFileSync(join(classes(), 'InvoiceService.cls-meta.xml')),
  );
}

describe('deploy_metadata', () => {
  it('deploys a project with Apex, a custom object with fields, a permission set and an LWC bundle', async () => {
    const result = await server.call('deploy_metadata', { sourceDir: ['force-app'] });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain(`Org: ${server.alias}`);
    const structured = result.structuredContent as {
      status: string;
      success: boolean;
      counts: Record<string, number>;
      components: { state: string; type: string; fullName: string }[];
    };
    expect(structured).toMatchObject({ status: 'Succeeded', success: true });
    const created = structured.components
      .filter((row) => row.state === 'Created')
      .map((row) => `${row.type}:${row.fullName}`);
    for (const name of [
      'ApexClass:InvoiceService',
      'CustomObject:Invoice__c',
      'CustomField:Invoice__c.Amount__c',
      'PermissionSet:Invoice_Manager',
      'LightningComponentBundle:invoiceList',
      'ApexTrigger:InvoiceTrigger',
    ]) {
      expect(created, name).toContain(name);
    }
    expect(result.text).toMatch(
      /Created \| ApexClass \| InvoiceService \| force-app\/main\/default\/classes\/InvoiceService\.cls/,
    );
    const apex = await query<{ Name: string }>(
      server,
      "SELECT Name FROM ApexClass WHERE Name LIKE 'Invoice%' ORDER BY Name",
      true,
    );
    expect(apex.map((row) => row.Name)).toEqual(['InvoiceService', 'InvoiceServiceTest']);
    const bundles = [await server.org.state].length; // the org is up; the bundle is checked through listMetadata below
    expect(bundles).toBe(1);
    const listed = await server.call('list_metadata_components', {
      types: ['LightningComponentBundle', 'PermissionSet'],
    });
    expect(listed.text).toContain('invoiceList');
    expect(listed.text).toContain('Invoice_Manager');
    // The object is in the org's schema: records can be written and queried.
    const insert = await fetch(`${server.org.instanceUrl}/services/data/v62.0/sobjects/Invoice__c`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.org.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Amount__c: 42, Status__c: 'Sent' }),
    });
    expect(insert.status).toBe(201);
    expect(await query(server, "SELECT Amount__c FROM Invoice__c WHERE Status__c = 'Sent'")).toEqual([
      expect.objectContaining({ Amount__c: 42 }),
    ]);

    const again = await server.call('deploy_metadata', { metadata: ['ApexClass:InvoiceService'] });
    expect(again.isError, again.text).toBeFalsy();
    expect((again.structuredContent as { components: { state: string }[] }).components).toEqual([
      expect.objectContaining({ state: 'Unchanged', fullName: 'InvoiceService' }),
    ]);
  });

  it('reports a broken Apex class with its line and column, and leaves the org unchanged', async () => {
    addClass(
      'Broken',
      'public class Broken {\n    public void run() {\n        Integer total = 1\n    }\n}\n',
    );
    addClass('FineNeighbour', 'public class FineNeighbour {\n}\n');
    try {
      const result = await server.call('deploy_metadata', { sourceDir: ['force-app/main/default/classes'] });
      expect(result.isError).toBeFalsy();
      const structured = result.structuredContent as {
        status: string;
        success: boolean;
        components: Record<string, unknown>[];
      };
      expect(structured).toMatchObject({ status: 'Failed', success: false });
      expect(structured.components[0]).toMatchObject({
        state: 'Failed',
        type: 'ApexClass',
        fullName: 'Broken',
        file: 'force-app/main/default/classes/Broken.cls',
        line: 4,
        column: 5,
        problem: "Missing ';' at '}' (4:5)",
      });
      expect(result.text).toContain('nothing was saved');
      expect(result.text).toContain(
        'Failed | ApexClass | Broken | force-app/main/default/classes/Broken.cls | 4 | 5 |',
      );
      expect(
        await query(server, "SELECT Id FROM ApexClass WHERE Name IN ('Broken', 'FineNeighbour')", true),
      ).toEqual([]);
    } finally {
      for (const name of ['Broken', 'FineNeighbour'])
        for (const suffix of ['.cls', '.cls-meta.xml'])
          writeFileSync(join(classes(), `${name}${suffix}`), '');
      const { rmSync } = await import('node:fs');
      for (const name of ['Broken', 'FineNeighbour'])
        for (const suffix of ['.cls', '.cls-meta.xml']) rmSync(join(classes(), `${name}${suffix}`));
    }
  });

  it('validates with checkOnly (nothing saved), then quick deploys the validation', async () => {
    addClass(
      'InvoiceFormatter',
      "public class InvoiceFormatter {\n    public static String label(String name) {\n        return 'Invoice ' + name;\n    }\n}\n",
    );
    server.org.state.declared.apexTests = {
      results: {
        'InvoiceServiceTest.sumsAmounts': { outcome: 'Pass' },
        'InvoiceServiceTest.ignoresBlankAmounts': { outcome: 'Pass' },
      },
      coverage: { InvoiceService: { covered: [3, 4, 5, 7], uncovered: [6] } },
    };
    try {
      const validation = await server.call('deploy_metadata', {
        sourceDir: ['force-app/main/default/classes'],
        checkOnly: true,
        apexTests: ['InvoiceServiceTest'],
      });
      expect(validation.isError, validation.text).toBeFalsy();
      const validated = validation.structuredContent as {
        jobId: string;
        checkOnly: boolean;
        success: boolean;
        tests?: { run: number; failed: number };
        coverage: { name: string; percent: number }[];
      };
      expect(validated).toMatchObject({ checkOnly: true, success: true, tests: { run: 2, failed: 0 } });
      expect(validated.coverage).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'InvoiceService', percent: 80, uncoveredLines: [6] }),
        ]),
      );
      expect(validation.text).toContain('quick_deploy');
      expect(await query(server, "SELECT Id FROM ApexClass WHERE Name = 'InvoiceFormatter'", true)).toEqual(
        [],
      );

      const quick = await server.call('quick_deploy', { jobId: validated.jobId });
      expect(quick.isError, quick.text).toBeFalsy();
      expect(quick.structuredContent).toMatchObject({ status: 'Succeeded', success: true, checkOnly: false });
      expect((quick.structuredContent as { jobId: string }).jobId).not.toBe(validated.jobId);
      expect(
        await query(server, "SELECT Id FROM ApexClass WHERE Name = 'InvoiceFormatter'", true),
      ).toHaveLength(1);

      const twice = await server.call('quick_deploy', { jobId: validated.jobId });
      expect(twice.isError).toBe(true);
      expect(twice.text).toContain('INVALID_ID_FIELD');
    } finally {
      delete server.org.state.declared.apexTests;
    }
  });

  it('shows the tests that did not run (no declared outcome), and does not suggest quick_deploy', async () => {
    // Coverage is declared but no test outcome: the local org cannot run Apex, so the tests did not run.
    server.org.state.declared.apexTests = {
      coverage: { InvoiceService: { covered: [3, 4, 5, 7], uncovered: [6] } },
    };
    try {
      const validation = await server.call('deploy_metadata', {
        sourceDir: ['force-app/main/default/classes'],
        checkOnly: true,
        apexTestLevel: 'RunLocalTests',
      });
      expect(validation.isError, validation.text).toBeFalsy();
      expect(validation.structuredContent).toMatchObject({
        checkOnly: true,
        success: true,
        tests: { run: 0, failed: 0 },
        testFailures: [],
        coverage: [],
      });
      expect(validation.text).toContain(
        'Succeeded (validated only: nothing was saved; 2 tests did not run, so quick_deploy will not accept it).',
      );
      expect(validation.text).not.toContain('quick_deploy it with this id');
      expect(validation.text).toContain('Tests: 0 run, 0 failed, 2 not run.');
      expect(validation.text).toContain(
        'Test warnings:\n- InvoiceServiceTest: Not run: InvoiceServiceTest.sumsAmounts, InvoiceServiceTest.ignoresBlankAmounts. ' +
          'The sfmcp local org (a test double) cannot run Apex;',
      );
      // Indeed the org will not quick deploy a validation whose tests did not run.
      const quick = await server.call('quick_deploy', {
        jobId: (validation.structuredContent as { jobId: string }).jobId,
      });
      expect(quick.isError).toBe(true);
      expect(quick.text).toContain('whose Apex tests ran');
    } finally {
      delete server.org.state.declared.apexTests;
    }
  });

  it('reports failing tests with message and stack trace, and rolls back', async () => {
    server.org.state.declared.apexTests = {
      results: {
        'InvoiceServiceTest.ignoresBlankAmounts': {
          outcome: 'Fail',
          message: 'System.AssertException: Assertion Failed',
          stackTrace: 'Class.InvoiceServiceTest.ignoresBlankAmounts: line 11, column 1',
        },
      },
    };
    addClass('InvoiceMailer', 'public class InvoiceMailer {\n}\n');
    try {
      const result = await server.call('deploy_metadata', {
        sourceDir: ['force-app/main/default/classes'],
        apexTestLevel: 'RunLocalTests',
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        status: 'Failed',
        testFailures: [
          {
            name: 'InvoiceServiceTest',
            methodName: 'ignoresBlankAmounts',
            message: 'System.AssertException: Assertion Failed',
            stackTrace: 'Class.InvoiceServiceTest.ignoresBlankAmounts: line 11, column 1',
          },
        ],
      });
      expect(result.text).toContain(
        'InvoiceServiceTest.ignoresBlankAmounts | System.AssertException: Assertion Failed',
      );
      expect(await query(server, "SELECT Id FROM ApexClass WHERE Name = 'InvoiceMailer'", true)).toEqual([]);
    } finally {
      delete server.org.state.declared.apexTests;
      const { rmSync } = await import('node:fs');
      for (const suffix of ['.cls', '.cls-meta.xml']) rmSync(join(classes(), `InvoiceMailer${suffix}`));
    }
  });

  it('refuses a path outside the project, and names that do not exist, before touching the org', async () => {
    const outside = tempDir('sfmcp-outside-');
    for (const sourceDir of [['../'], [outside], ['force-app/../../etc']]) {
      const result = await server.call('deploy_metadata', { sourceDir });
      expect(result.isError, JSON.stringify(sourceDir)).toBe(true);
      expect(result.text).toContain('outside the project');
    }
    const manifest = await server.call('deploy_metadata', { manifest: '/etc/passwd' });
    expect(manifest.isError).toBe(true);
    expect(manifest.text).toContain('outside the project');
    const missing = await server.call('deploy_metadata', { sourceDir: ['force-app/nothing-here'] });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('does not exist');
    const both = await server.call('deploy_metadata', {
      sourceDir: ['force-app'],
      manifest: 'manifest/package.xml',
    });
    expect(both.isError).toBe(true);
  });

  it('refuses "local changes" on an org that does not track source', async () => {
    const result = await server.call('deploy_metadata', {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain('does not track source');
  });

  it('returns the job id after its wait; cancel_deploy stops it; resume_tool_operation picks another up', async () => {
    addClass('InvoiceQueued', 'public class InvoiceQueued {\n}\n');
    try {
      const queued = await server.call('deploy_metadata', { metadata: ['ApexClass:InvoiceQueued'], wait: 0 });
      expect(queued.isError, queued.text).toBeFalsy();
      const jobId = (queued.structuredContent as { jobId: string; done: boolean }).jobId;
      expect(queued.structuredContent).toMatchObject({ done: false });
      expect(queued.text).toContain(`resume_tool_operation with jobId "${jobId}"`);
      const canceled = await server.call('cancel_deploy', { jobId });
      expect(canceled.isError, canceled.text).toBeFalsy();
      expect(canceled.structuredContent).toMatchObject({ canceled: true, status: 'Canceled' });
      const resumedCanceled = await server.call('resume_tool_operation', { jobId });
      expect(resumedCanceled.isError).toBe(true);
      expect(resumedCanceled.text).toContain('cancelled');
      expect(await query(server, "SELECT Id FROM ApexClass WHERE Name = 'InvoiceQueued'", true)).toEqual([]);

      const second = await server.call('deploy_metadata', { metadata: ['ApexClass:InvoiceQueued'], wait: 0 });
      const secondId = (second.structuredContent as { jobId: string }).jobId;
      const resumed = await server.call('resume_tool_operation', { jobId: secondId, wait: 1 });
      expect(resumed.isError, resumed.text).toBeFalsy();
      expect(resumed.structuredContent).toMatchObject({ jobId: secondId, status: 'Succeeded', done: true });
      expect(resumed.text).toContain('Created | ApexClass | InvoiceQueued');
      expect(await query(server, "SELECT Id FROM ApexClass WHERE Name = 'InvoiceQueued'", true)).toHaveLength(
        1,
      );
    } finally {
      const { rmSync } = await import('node:fs');
      for (const suffix of ['.cls', '.cls-meta.xml']) rmSync(join(classes(), `InvoiceQueued${suffix}`));
    }
  });

  it('shows a destructive deploy as a preview first and deletes only with the confirmation token', async () => {
    addClass('InvoiceDoomed', 'public class InvoiceDoomed {\n}\n');
    await server.call('deploy_metadata', { metadata: ['ApexClass:InvoiceDoomed'] });
    const { rmSync, mkdirSync } = await import('node:fs');
    for (const suffix of ['.cls', '.cls-meta.xml']) rmSync(join(classes(), `InvoiceDoomed${suffix}`));
    mkdirSync(join(project, 'destructive'), { recursive: true });
    writeFileSync(
      join(project, 'destructive/destructiveChanges.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n    <types>\n        <members>InvoiceDoomed</members>\n        <name>ApexClass</name>\n    </types>\n    <version>62.0</version>\n</Package>\n',
    );
    const args = { destructiveChanges: 'destructive/destructiveChanges.xml' };
    const preview = await server.call('deploy_metadata', args);
    expect(preview.isError).toBeFalsy(); // a preview is a successful result
    expect(preview.text).toContain('Confirmation needed');
    expect(preview.text).toContain('ApexClass:InvoiceDoomed');
    // The count says what happens: nothing deployed, one component deleted (not the set's size, which holds both).
    expect(preview.text).toContain('Deploy 0 components and delete 1: ApexClass InvoiceDoomed');
    expect(await query(server, "SELECT Id FROM ApexClass WHERE Name = 'InvoiceDoomed'", true)).toHaveLength(
      1,
    );
    const token = /confirmationToken: "([^"]+)"/.exec(preview.text)?.[1];
    const confirmed = await server.call('deploy_metadata', { ...args, confirmationToken: token });
    expect(confirmed.isError, confirmed.text).toBeFalsy();
    expect(confirmed.text).toContain('Deleted | ApexClass | InvoiceDoomed');
    expect(await query(server, "SELECT Id FROM ApexClass WHERE Name = 'InvoiceDoomed'", true)).toEqual([]);
  });
});
