// Helpers for tests of what users install: the workspace packages packed as they would be published, and
// npm installing those tarballs into an empty folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const temporary: string[] = [];

/** A new empty folder under the system's temporary folder, removed by removeTemporaryFolders(). */
export function temporaryFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** Removes the folders temporaryFolder() made (installs are large: these tests leave nothing behind). */
export function removeTemporaryFolders(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Where each workspace package lives. */
export const WORKSPACE_PACKAGES: Record<string, string> = {
  sfmcp: 'apps/sfmcp',
  '@sfmcp/server': 'apps/server',
  '@sfmcp/plugin-api': 'packages/plugin-api',
  '@sfmcp/plugin-dev': 'packages/plugin-dev',
  '@sfmcp/testkit': 'packages/testkit',
  '@sfmcp/local-org': 'packages/local-org',
  '@sfmcp/orgs': 'packages/toolsets/orgs',
  '@sfmcp/data': 'packages/toolsets/data',
  '@sfmcp/metadata': 'packages/toolsets/metadata',
  '@sfmcp/users': 'packages/toolsets/users',
  '@sfmcp/apex-testing': 'packages/toolsets/apex-testing',
};

/**
 * The environment a user's shell would have: without what pnpm and its bin shims add for this test run
 * (NODE_PATH would let Node find every workspace package; npm_config_* would configure npm).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(NODE_PATH|npm_.*|pnpm_.*|PNPM_.*)$/i.test(key)) env[key] = value;
  return { ...env, ...extra };
}

/**
 * npm and pnpm use the user's own npm cache and npmrc (warm: these tests then need no network for what was
 * installed before), while HOME stays the test's temporary one: nothing they run can touch the user's sf state.
 */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  let home = '';
  try {
    home = userInfo().homedir;
  } catch {
    // no user database: npm's defaults under HOME
  }
  const cache = process.env.npm_config_cache ?? (home ? join(home, '.npm') : undefined);
  const userconfig = process.env.npm_config_userconfig ?? (home ? join(home, '.npmrc') : undefined);
  return userEnv({
    ...(cache ? { npm_config_cache: cache } : {}),
    ...(userconfig ? { npm_config_userconfig: userconfig } : {}),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    ...extra,
  });
}

export interface Command {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = toolEnv(),
): Command {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(command: string, args: readonly string[], cwd: string): Command {
  const result = run(command, args, cwd);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** pnpm itself: the one running this test (npm_execpath), else the one on PATH. */
function pnpm(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath) && existsSync(execPath))
    return execPath.endsWith('.js') || execPath.endsWith('.cjs')
      ? [process.execPath, [execPath]]
      : [execPath, []];
  return ['pnpm', []];
}

/**
 * Packs workspace packages as `pnpm publish` would (workspace: ranges become versions) into one folder;
 * returns the tarball of each. They must be built (the test task depends on the build).
 */
export function packWorkspacePackages(names: readonly string[]): Record<string, string> {
  const into = temporaryFolder('sfmcp-packs-');
  const [command, prefix] = pnpm();
  const tarballs: Record<string, string> = {};
  for (const name of names) {
    const dir = join(root, WORKSPACE_PACKAGES[name] ?? `(unknown package ${name})`);
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    ok(command, [...prefix, 'pack', '--pack-destination', into], dir);
    const tarball = join(into, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`pnpm pack wrote no ${tarball}`);
    tarballs[name] = tarball;
  }
  return tarballs;
}

/** npm install, as a user would, but from the warm cache first. */
export function npmInstall(dir: string, args: readonly string[]): Command {
  return ok('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...args], dir);
}

export function tarList(tarball: string): string[] {
  return ok('tar', ['tzf', tarball], tmpdir()).stdout.split('\n').filter(Boolean);
}
