import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { cleanUp, copyFixture, emptyProject, tempDir } from '../helpers.js';

// Links planted in the project (a cloned repository can hold any) must never carry a write outside it.
let server: LocalOrgTestServer;
let workspace: string;
let outside: string;
const source = () => join(workspace, 'source');
const target = () => join(workspace, 'target');

beforeAll(async () => {
  workspace = tempDir('sfmcp-metadata-links-');
  outside = tempDir('sfmcp-outside-');
  copyFixture(source());
  mkdirSync(target());
  emptyProject(target());
  server = await createLocalOrgTestServer({
    plugins: [plugin],
    args: ['--project-dir', workspace, '--allow-non-ga-tools'],
  });
  const deployed = await server.call('deploy_metadata', { sourceDir: ['force-app'], directory: 'source' });
  expect(deployed.isError, deployed.text).toBeFalsy();
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

const nothingOutside = () => expect(readdirSync(outside)).toEqual([]);

describe('metadata tools never write through a planted symlink', () => {
  it('generate_manifest: a linked manifest folder, and a planted .partial', async () => {
    symlinkSync(outside, join(target(), 'manifest'));
    const linked = await server.call('generate_manifest', {
      metadata: ['ApexClass:Foo'],
      directory: 'target',
    });
    expect(linked.isError).toBe(true);
    expect(linked.text).toMatch(/^Refused: target\/manifest is a symbolic link/);
    rmSync(join(target(), 'manifest'));
    mkdirSync(join(target(), 'manifest'));
    symlinkSync(join(outside, 'stolen.xml'), join(target(), 'manifest', 'package.xml.partial'));
    const planted = await server.call('generate_manifest', {
      metadata: ['ApexClass:Foo'],
      directory: 'target',
    });
    expect(planted.isError, planted.text).toBeFalsy();
    expect(lstatSync(join(target(), 'manifest', 'package.xml')).isFile()).toBe(true);
    nothingOutside();
  });

  it('create_custom_object and create_custom_field: a dangling file link where the file would go', async () => {
    const objects = join(target(), 'force-app/main/default/objects');
    mkdirSync(join(objects, 'Trap__c'), { recursive: true });
    symlinkSync(join(outside, 'Trap.xml'), join(objects, 'Trap__c', 'Trap__c.object-meta.xml'));
    const object = await server.call('create_custom_object', { label: 'Trap', directory: 'target' });
    expect(object.isError).toBe(true);
    expect(object.text).toMatch(/Refused: .*Trap__c.object-meta.xml already exists/);
    mkdirSync(join(objects, 'Contact'), { recursive: true });
    symlinkSync(outside, join(objects, 'Contact', 'fields'));
    const field = await server.call('create_custom_field', {
      objectName: 'Contact',
      fields: [{ label: 'Nickname', type: 'Text', length: 40 }],
      directory: 'target',
    });
    expect(field.isError).toBe(true);
    expect(field.text).toMatch(/Refused: .*fields is a symbolic link/);
    expect(existsSync(join(objects, 'Contact', 'fields'))).toBe(true); // the link itself is left alone
    nothingOutside();
  });

  it('retrieve_metadata and its resume: a link inside the package directory', async () => {
    const classes = join(target(), 'force-app/main/default/classes');
    mkdirSync(classes, { recursive: true });
    symlinkSync(outside, join(classes, 'linked'));
    const retrieve = await server.call('retrieve_metadata', {
      metadata: ['ApexClass:InvoiceService'],
      directory: 'target',
    });
    expect(retrieve.isError).toBe(true);
    expect(retrieve.text).toMatch(
      /^Refused: target\/force-app\/main\/default\/classes\/linked is a symbolic link/,
    );
    // A link planted while a retrieve waits: its resume refuses to write.
    rmSync(join(classes, 'linked'));
    rmSync(join(target(), 'force-app/main/default/objects'), { recursive: true });
    const queued = await server.call('retrieve_metadata', {
      metadata: ['ApexClass:InvoiceService'],
      directory: 'target',
      wait: 0,
    });
    expect(queued.isError, queued.text).toBeFalsy();
    const jobId = (queued.structuredContent as { jobId: string }).jobId;
    symlinkSync(outside, join(classes, 'linked'));
    const resumed = await server.call('resume_tool_operation', { jobId, directory: 'target' });
    expect(resumed.isError).toBe(true);
    expect(resumed.text).toMatch(/is a symbolic link/);
    expect(existsSync(join(classes, 'InvoiceService.cls'))).toBe(false);
    nothingOutside();
  });
});
