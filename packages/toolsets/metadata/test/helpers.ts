import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalOrgTestServer } from '@sfmcp/testkit';

export const FIXTURE = fileURLToPath(new URL('./fixtures/dx-project', import.meta.url));

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

/** A copy of the fixture project in a temporary folder. */
export function copyFixture(into?: string): string {
  const dir = into ?? tempDir('sfmcp-metadata-project-');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** An empty DX project (sfdx-project.json and an empty force-app). */
export function emptyProject(into?: string): string {
  const dir = into ?? tempDir('sfmcp-metadata-empty-');
  writeFileSync(
    join(dir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }),
  );
  mkdirSync(join(dir, 'force-app'), { recursive: true });
  return dir;
}

export function filesUnder(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return files;
}

/** A query straight to the local org's REST API (not through the tools), to see what the org holds. */
export async function query<T = Record<string, unknown>>(
  server: LocalOrgTestServer,
  soql: string,
  tooling = false,
): Promise<T[]> {
  const url = `${server.org.instanceUrl}/services/data/v62.0/${tooling ? 'tooling/' : ''}query?q=${encodeURIComponent(soql)}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${server.org.accessToken}` } });
  const body = (await response.json()) as { records?: T[] };
  if (!response.ok) throw new Error(`query failed: ${JSON.stringify(body)}`);
  return body.records ?? [];
}
