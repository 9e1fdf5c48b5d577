import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type AnyTool, apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { type TestServer, createTestServer } from '@sfmcp/testkit';

const scratch: string[] = [];

/** A fresh temporary folder, removed by cleanUp(). */
export function tempDir(prefix = 'sfmcp-lwc-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export function cleanUp(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A DX project in a temporary folder (force-app, API 62.0), with these files (path → content) written. */
export function makeProject(files: Record<string, string> = {}): string {
  const root = tempDir();
  writeFileSync(
    join(root, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }),
  );
  mkdirSync(join(root, 'force-app/main/default/lwc'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A server with just these tools of the toolset (each tool's tests stand alone), serving `project`. */
export function serveTools(
  tools: readonly AnyTool[],
  project?: string,
  args: string[] = [],
): Promise<TestServer> {
  const plugin = definePlugin({
    toolset: 'lwc-experts',
    description: 'LWC tools under test.',
    apiVersion,
    tools,
  });
  return createTestServer({
    plugins: [plugin],
    args: [...(project ? ['--project-dir', project] : []), ...args],
  });
}

export { filesUnder } from '@sfmcp/testkit';
