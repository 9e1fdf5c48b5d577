import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { FIXTURE, cleanUp, copyFixture, filesUnder, tempDir } from '../helpers.js';

let server: LocalOrgTestServer;
let workspace: string;

// One server whose project boundary holds two DX projects: the source one and a clean one.
beforeAll(async () => {
  workspace = tempDir('sfmcp-metadata-workspace-');
  copyFixture(join(workspace, 'source'));
  copyFixture(join(workspace, 'clean'));
  rmSync(join(workspace, 'clean/force-app'), { recursive: true });
  server = await createLocalOrgTestServer({ plugins: [plugin], args: ['--project-dir', workspace] });
  const deployed = await server.call('deploy_metadata', { sourceDir: ['force-app'], directory: 'source' });
  expect(deployed.isError, deployed.text).toBeFalsy();
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

describe('retrieve_metadata', () => {
  it('retrieves into a clean project by manifest, reproducing the source file for file', async () => {
    const manifest = await server.call('generate_manifest', {
      sourceDir: ['force-app'],
      directory: 'source',
      outputFile: 'manifest/package.xml',
    });
    expect(manifest.isError, manifest.text).toBeFalsy();
    writeFileSync(
      join(workspace, 'clean/package.xml'),
      readFileSync(join(workspace, 'source/manifest/package.xml')),
    );
    const result = await server.call('retrieve_metadata', { manifest: 'package.xml', directory: 'clean' });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain('Retrieve 09S');
    const structured = result.structuredContent as {
      status: string;
      counts: Record<string, number>;
      conflicts: string[];
    };
    expect(structured.status).toBe('Succeeded');
    expect(structured.counts.Created).toBeGreaterThan(20);
    const expected = filesUnder(join(FIXTURE, 'force-app'));
    const actual = filesUnder(join(workspace, 'clean/force-app'));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) expect(actual.get(path)?.equals(content), path).toBe(true);
  });

  it('reports what changed and what did not, by metadata name, and retrieves into the project only', async () => {
    const file = join(workspace, 'clean/force-app/main/default/classes/InvoiceService.cls');
    writeFileSync(file, '// edited locally\n');
    const result = await server.call('retrieve_metadata', {
      metadata: ['ApexClass:InvoiceService', 'ApexClass:InvoiceServiceTest'],
      directory: 'clean',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain(
      'Changed | ApexClass | InvoiceService | force-app/main/default/classes/InvoiceService.cls',
    );
    expect(result.text).toMatch(/Unchanged \| ApexClass \| InvoiceServiceTest/);
    expect(readFileSync(file)).toEqual(
      readFileSync(join(FIXTURE, 'force-app/main/default/classes/InvoiceService.cls')),
    );
  });

  it('refuses paths outside the project and says what to pass when nothing is selected', async () => {
    const outside = await server.call('retrieve_metadata', { sourceDir: ['../../etc'], directory: 'clean' });
    expect(outside.isError).toBe(true);
    expect(outside.text).toContain('outside the project');
    const badDirectory = await server.call('retrieve_metadata', {
      metadata: ['ApexClass'],
      directory: '/tmp',
    });
    expect(badDirectory.isError).toBe(true);
    expect(badDirectory.text).toContain('outside the project');
    const nothing = await server.call('retrieve_metadata', { directory: 'clean' });
    expect(nothing.isError).toBe(true);
    expect(nothing.text).toContain('does not track source');
  });

  it('hands back the retrieve id after its wait, and resume_tool_operation writes the files', async () => {
    rmSync(join(workspace, 'clean/force-app/main/default/lwc'), { recursive: true });
    const queued = await server.call('retrieve_metadata', {
      metadata: ['LightningComponentBundle:invoiceList'],
      directory: 'clean',
      wait: 0,
    });
    expect(queued.isError, queued.text).toBeFalsy();
    const jobId = (queued.structuredContent as { jobId: string }).jobId;
    expect(jobId).toMatch(/^09S/);
    expect(existsSync(join(workspace, 'clean/force-app/main/default/lwc/invoiceList/invoiceList.js'))).toBe(
      false,
    );
    const resumed = await server.call('resume_tool_operation', { jobId, directory: 'clean' });
    expect(resumed.isError, resumed.text).toBeFalsy();
    expect(existsSync(join(workspace, 'clean/force-app/main/default/lwc/invoiceList/invoiceList.js'))).toBe(
      true,
    );
  });
});
