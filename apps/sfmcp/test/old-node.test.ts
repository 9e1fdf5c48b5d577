// Every bin on a Node older than 22.12 says in one line what it needs, on stderr, and exits non-zero —
// instead of a SyntaxError about a missing export that an MCP client shows as "server failed to start".
// Run under this machine's older Node where there is one, and always with the version made to look old.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const BINS = {
  sfmcp: fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url)),
  'sfmcp-server': join(dirname(require.resolve('@sfmcp/server/package.json')), 'bin/sfmcp-server.js'),
  'sfmcp-local-org': join(
    dirname(require.resolve('@sfmcp/local-org/package.json')),
    'bin/sfmcp-local-org.js',
  ),
};

function tooOld(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major < 22 || (major === 22 && minor < 12);
}

/** A node on PATH (or the system's) older than 22.12, if this machine has one. */
function olderNode(): { path: string; version: string } | undefined {
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node')),
    '/usr/bin/node',
  ];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
      if (tooOld(version)) return { path, version: version.replace(/^v/, '') };
    } catch {
      // Not runnable: try the next.
    }
  }
  return undefined;
}

// This Node, made to report 22.11.0 before the bin's first line runs.
const LOOK_OLD =
  'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"22.11.0"}})';

const runs: { label: string; node: string; args: string[]; version: string }[] = [
  {
    label: 'a Node that reports 22.11.0',
    node: process.execPath,
    args: ['--import', LOOK_OLD],
    version: '22.11.0',
  },
];
const older = olderNode();
if (older)
  runs.push({
    label: `this machine's Node ${older.version}`,
    node: older.path,
    args: [],
    version: older.version,
  });

describe.each(runs)('on $label', ({ node, args, version }) => {
  it.each(Object.entries(BINS))('%s says which Node it needs, on stderr, and exits 1', (name, bin) => {
    const result = spawnSync(node, [...args, bin, '--help'], {
      encoding: 'utf8',
      env: { ...process.env, HOME: '/nonexistent' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `${name} needs Node 22.12 or newer; this is Node ${version}. Install Node 22 LTS from https://nodejs.org (or \`nvm install 22\`), then start it again.\n`,
    );
  });
});

describe('on this Node', () => {
  it('the bins start', () => {
    const result = spawnSync(process.execPath, [BINS.sfmcp, '--version'], { encoding: 'utf8' });
    expect(result.stderr).not.toContain('needs Node');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/sfmcp \d+\.\d+\.\d+/);
  });
});
