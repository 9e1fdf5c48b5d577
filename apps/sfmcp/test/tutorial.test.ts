// The plugin tutorial (packages/plugin-api/README.md), followed as a newcomer would from an empty folder: its
// own code blocks are the plugin, its own commands build and test it (with the workspace's packages packed as
// they would be published), and the plugin is then installed beside the server and called through MCP.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalOrg, startLocalOrg } from '@sfmcp/local-org';
import { authorizeOrgs, callTool, spawnServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Command,
  npmInstall,
  packWorkspacePackages,
  removeTemporaryFolders,
  run,
  temporaryFolder,
  toolEnv,
  userEnv,
} from './packed.js';

const readme = readFileSync(
  fileURLToPath(new URL('../../../packages/plugin-api/README.md', import.meta.url)),
  'utf8',
);

interface Step {
  action: 'run' | 'write' | 'merge';
  path: string;
  text: string;
}

/** The blocks the README marks with `<!-- tutorial: run | write <file> | merge <file> -->`, in order. */
function tutorialSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  const marked = /<!-- tutorial: (run|write|merge) ?(\S*) -->\n```\w*\n([\s\S]*?)\n```/g;
  for (const [, action, path, text] of markdown.matchAll(marked))
    steps.push({ action: action as Step['action'], path: path ?? '', text: `${text}\n` });
  return steps;
}

let tarballs: Record<string, string>;
const log: string[] = [];
/** The reader's commands run in a HOME of their own (temporary too): their tests write sf auth there. */
const readerHome = (() => {
  const home = temporaryFolder('sfmcp-tutorial-home-');
  return { HOME: home, SFMCP_TEMP_HOME: home, NO_COLOR: '1', FORCE_COLOR: '0' };
})();

/**
 * Runs a `run` block's commands: `mkdir`, `cd`, and npm/npx with optional `NAME=value` prefixes. Packages of this
 * workspace are installed from their tarballs (they are not on the registry yet); everything else from npm.
 */
function runCommands(block: string, start: string): string {
  let cwd = start;
  for (const line of block.split('\n')) {
    const commandLine = line.replace(/\s+#.*$/, '').trim();
    if (!commandLine) continue;
    for (const command of commandLine.split('&&').map((part) => part.trim())) {
      const words = command.split(/\s+/);
      const env: Record<string, string> = {};
      while (/^[A-Z_]+=/.test(words[0] ?? '')) {
        const [name, value] = words.shift()!.split('=') as [string, string];
        env[name] = value;
      }
      const [program, ...args] = words as [string, ...string[]];
      if (program === 'mkdir') mkdirSync(join(cwd, args[0]!));
      else if (program === 'cd') cwd = join(cwd, args[0]!);
      else if (program === 'npm' || program === 'npx') {
        const resolved = args.map((arg) => tarballs[arg] ?? arg);
        const extra = args[0] === 'install' ? ['--prefer-offline', '--no-audit', '--no-fund'] : [];
        const result: Command = run(
          program,
          [...resolved, ...extra],
          cwd,
          toolEnv({ ...readerHome, ...env }),
        );
        log.push(`$ ${command}\n${result.stdout}${result.stderr}`);
        if (result.code !== 0)
          throw new Error(`README command failed: ${command}\n${result.stdout}\n${result.stderr}`);
        if (args[0] === 'init') overrideWorkspacePackages(join(cwd, 'package.json'));
      } else throw new Error(`the tutorial test does not know how to run "${command}"`);
    }
  }
  return cwd;
}

/** Names the README installs itself (from its tarball); the other workspace packages come in as theirs' dependencies. */
function installedByReadme(): Set<string> {
  const names = new Set<string>();
  for (const step of tutorialSteps(readme))
    if (step.action === 'run') for (const [name] of step.text.matchAll(/@sfmcp\/[a-z-]+/g)) names.add(name);
  return names;
}

/**
 * The workspace packages the README's packages depend on (@sfmcp/local-org under @sfmcp/testkit, ...) are not on
 * the registry yet: npm takes them from their tarballs through overrides. A user's install needs none of this.
 */
function overrideWorkspacePackages(packageJson: string): void {
  const direct = installedByReadme();
  const overrides = Object.fromEntries(
    Object.entries(tarballs)
      .filter(([name]) => !direct.has(name))
      .map(([name, tarball]) => [name, `file:${tarball}`]),
  );
  writeFileSync(
    packageJson,
    JSON.stringify({ ...JSON.parse(readFileSync(packageJson, 'utf8')), overrides }, null, 2),
  );
}

/** As published, the plugin depends on versions, not on the tarballs the test installed. */
function publishedRanges(packageJson: string): void {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as Record<string, unknown>;
  for (const field of ['dependencies', 'peerDependencies', 'devDependencies']) {
    const deps = pkg[field] as Record<string, string> | undefined;
    for (const [name, spec] of Object.entries(deps ?? {}))
      if (tarballs[name] && spec.startsWith('file:'))
        deps![name] = `^${/-(\d+\.\d+\.\d+)\.tgz$/.exec(tarballs[name]!)![1]}`;
  }
  delete pkg.overrides;
  writeFileSync(packageJson, JSON.stringify(pkg, null, 2));
}

let pluginDir: string;
let org: LocalOrg;

beforeAll(async () => {
  tarballs = packWorkspacePackages([
    '@sfmcp/plugin-api',
    '@sfmcp/plugin-dev',
    '@sfmcp/testkit',
    '@sfmcp/server',
    '@sfmcp/local-org',
  ]);
  org = await startLocalOrg({ seed: { records: { Account: [{ Name: 'Globex' }] } } });
  await authorizeOrgs({
    orgs: [
      {
        username: org.username,
        alias: 'notes-org',
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        orgId: org.orgId,
      },
    ],
  });
}, 120_000);

afterAll(async () => {
  await org?.stop();
  removeTemporaryFolders();
});

describe('the plugin tutorial, from its own code blocks', () => {
  it('marks its files and commands for this test', () => {
    expect(tutorialSteps(readme).map(({ action, path }) => `${action} ${path}`.trim())).toEqual([
      'run',
      'merge package.json',
      'write tsconfig.json',
      'write src/tools/add_record_note.ts',
      'write src/index.ts',
      'write test/notes.test.ts',
      'run',
      'run',
    ]);
  });

  it('leads from an empty folder to a passing test and a clean tarball', { timeout: 600_000 }, () => {
    let cwd = temporaryFolder('sfmcp-tutorial-');
    for (const step of tutorialSteps(readme)) {
      if (step.action === 'run') cwd = runCommands(step.text, cwd);
      else if (step.action === 'write') {
        mkdirSync(dirname(join(cwd, step.path)), { recursive: true });
        writeFileSync(join(cwd, step.path), step.text);
      } else {
        const file = join(cwd, step.path);
        writeFileSync(
          file,
          JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ...JSON.parse(step.text) }, null, 2),
        );
      }
    }
    pluginDir = cwd;
    const output = log.join('\n');
    // The first test run wrote the snapshot; the second compared against it.
    expect(existsSync(join(cwd, '__toolsnaps__', 'add_record_note.json'))).toBe(true);
    expect(output).toMatch(/\$ npm test\n[\s\S]*Tests +2 passed/);
    // The build wrote the code and the manifest; the tarball carries them and nothing else.
    expect(JSON.parse(readFileSync(join(cwd, 'dist', 'sfmcp-manifest.json'), 'utf8'))).toMatchObject({
      toolset: 'notes',
      tools: [{ published: { name: 'add_record_note' } }],
    });
    const packed = /\$ npm pack --dry-run\n([\s\S]*?)(\n\$ |$)/.exec(output)?.[1] ?? '';
    const files = [...packed.matchAll(/npm notice [\d.]+k?B\s+(\S+)/g)].map((match) => match[1]).sort();
    expect(files).toEqual([
      'dist/index.d.ts',
      'dist/index.js',
      'dist/sfmcp-manifest.json',
      'dist/tools/add_record_note.d.ts',
      'dist/tools/add_record_note.js',
      'package.json',
    ]);
  });

  it('installs beside @sfmcp/server, which finds it and calls its tool', { timeout: 300_000 }, async () => {
    expect(pluginDir, 'the tutorial ran').toBeTruthy();
    publishedRanges(join(pluginDir, 'package.json'));
    const packs = temporaryFolder('sfmcp-tutorial-pack-');
    const packedPlugin = run('npm', ['pack', '--pack-destination', packs], pluginDir, toolEnv());
    expect(packedPlugin.code, packedPlugin.stderr).toBe(0);
    const pluginTarball = join(packs, packedPlugin.stdout.trim().split('\n').pop()!);
    const project = temporaryFolder('sfmcp-tutorial-user-');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
    npmInstall(project, [tarballs['@sfmcp/server']!, tarballs['@sfmcp/plugin-api']!, pluginTarball]);

    const bin = join(project, 'node_modules', '.bin', 'sfmcp-server');
    const listed = run(process.execPath, [bin, '--list-plugins'], project, userEnv());
    expect(listed.stdout).toMatch(
      /loaded {2}sfmcp-plugin-notes@0\.1\.0 — toolset notes, 1 tool\n.*\n.*listed from its manifest/,
    );
    const server = await spawnServer({
      bin,
      args: ['--orgs', 'notes-org', '--toolsets', 'notes'],
      cwd: project,
      env: { HOME: homedir(), NODE_PATH: '' },
    });
    expect((await server.client.listTools()).tools.map((tool) => tool.name)).toContain('add_record_note');
    const [account] = [...org.state.records.rows('Account')];
    const result = await callTool(server.client, 'add_record_note', {
      recordId: account!.Id,
      title: 'Installed',
      body: 'From the tutorial',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ noteId: expect.stringMatching(/^002/) });
    expect([...org.state.records.rows('Note')]).toMatchObject([
      { ParentId: account!.Id, Title: 'Installed' },
    ]);
    await server.close();
  });
});
