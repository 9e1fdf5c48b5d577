// Done-when: a real-world-sized project deploys whole through deploy_metadata and retrieves back into a clean
// project with the same files. Generated into a temporary folder, not committed.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { cleanUp, filesUnder, tempDir } from './helpers.js';
import { generateWideProject } from './wide-project.js';

let server: LocalOrgTestServer;
let workspace: string;

beforeAll(async () => {
  workspace = tempDir('sfmcp-metadata-wide-');
  generateWideProject(join(workspace, 'source'));
  generateWideProject(join(workspace, 'clean'));
  rmSync(join(workspace, 'clean/force-app'), { recursive: true });
  server = await createLocalOrgTestServer({ plugins: [plugin], args: ['--project-dir', workspace] });
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

describe('a real-world-sized project', () => {
  it('deploys whole (200+ components of 15+ types) and retrieves back into a clean project file for file', async () => {
    const progress: string[] = [];
    const deployed = await server.client.callTool(
      { name: 'deploy_metadata', arguments: { sourceDir: ['force-app'], directory: 'source' } },
      undefined,
      { onprogress: (update) => void progress.push(String(update.message)) },
    );
    const text = (deployed.content as { text: string }[]).map((part) => part.text).join('\n');
    expect(deployed.isError, text).toBeFalsy();
    const structured = deployed.structuredContent as {
      status: string;
      counts: Record<string, number>;
      components: { type: string }[];
      omittedComponents: number;
    };
    expect(structured.status).toBe('Succeeded');
    const total = Object.values(structured.counts).reduce((sum, count) => sum + count, 0);
    expect(total).toBeGreaterThanOrEqual(200);
    expect(structured.counts.Created).toBe(total);
    expect(new Set(structured.components.map((row) => row.type)).size).toBeGreaterThanOrEqual(15);
    expect(progress[0]).toMatch(/^Deploy 0Af.* queued$/);

    const manifest = await server.call('generate_manifest', {
      sourceDir: ['force-app'],
      directory: 'source',
      outputFile: '../clean/manifest/package.xml',
    });
    expect(manifest.isError, manifest.text).toBeFalsy();
    const retrieved = await server.call('retrieve_metadata', {
      manifest: 'manifest/package.xml',
      directory: 'clean',
    });
    expect(retrieved.isError, retrieved.text).toBeFalsy();
    const expected = filesUnder(join(workspace, 'source/force-app'));
    const actual = filesUnder(join(workspace, 'clean/force-app'));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) expect(actual.get(path)?.equals(content), path).toBe(true);
  });
});
