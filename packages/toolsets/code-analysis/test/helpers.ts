import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestServer, createTestServer } from '@sfmcp/testkit';
import plugin from '../src/index.js';

export const SAMPLE_PROJECT = fileURLToPath(new URL('../sample-project', import.meta.url));

const scratch: string[] = [];

/** A fresh temporary folder, removed by cleanUp(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export function cleanUp(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of the sample project (known problems) in a temporary folder: runs write their results there. */
export function copySample(): string {
  const dir = tempDir('sfmcp-code-analysis-');
  cpSync(SAMPLE_PROJECT, dir, { recursive: true });
  return dir;
}

/** A server with this toolset only, serving `project`. */
export function serve(project: string, args: string[] = []): Promise<TestServer> {
  return createTestServer({ plugins: [plugin], args: ['--project-dir', project, ...args] });
}

export { filesUnder } from '@sfmcp/testkit';
