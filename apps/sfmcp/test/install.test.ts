// What a user gets from npm: @sfmcp/server and @sfmcp/data installed alone, from their packed tarballs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type LocalOrg, demoSeed, startLocalOrg } from '@sfmcp/local-org';
import { authorizeOrgs, callTool, spawnServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Command,
  npmInstall,
  packWorkspacePackages,
  removeTemporaryFolders,
  run,
  temporaryFolder,
  userEnv,
} from './packed.js';

const LOCAL_ORG_MISSING =
  'sfmcp: --local-org needs the @sfmcp/local-org package: npm install @sfmcp/local-org (the sfmcp package includes it)\n';

let tarballs: Record<string, string>;
let project: string;
let install: Command;
let org: LocalOrg;
const serverBin = () => join(project, 'node_modules', '.bin', 'sfmcp-server');
const runServer = (args: string[]) => run(process.execPath, [serverBin(), ...args], project, userEnv());
/** Server processes see what a user's would: no NODE_PATH into the workspace. */
const serverEnv = () => ({ HOME: homedir(), NODE_PATH: '' });

beforeAll(async () => {
  tarballs = packWorkspacePackages(['@sfmcp/server', '@sfmcp/data', '@sfmcp/plugin-api', '@sfmcp/local-org']);
  project = temporaryFolder('sfmcp-install-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  install = npmInstall(project, [
    tarballs['@sfmcp/server']!,
    tarballs['@sfmcp/data']!,
    tarballs['@sfmcp/plugin-api']!,
  ]);
  org = await startLocalOrg({ seed: demoSeed() });
  await authorizeOrgs({
    orgs: [
      {
        username: org.username,
        alias: 'acme',
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        orgId: org.orgId,
      },
    ],
  });
}, 300_000);

afterAll(async () => {
  await org?.stop();
  removeTemporaryFolders();
});

describe('npm install @sfmcp/server @sfmcp/data (packed tarballs, nothing else)', () => {
  it('installs without warnings and carries no local-org code', () => {
    expect(install.stderr).not.toMatch(/warn|ERR/i);
    expect(existsSync(join(project, 'node_modules', '@sfmcp', 'local-org'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', '.bin', 'sfmcp-local-org'))).toBe(false);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    expect(Object.keys(lock.packages).filter((path) => path.includes('local-org'))).toEqual([]);
    // One copy of the contract: the toolset's peer dependency is the server's plugin-api.
    expect(Object.keys(lock.packages).filter((path) => path.endsWith('@sfmcp/plugin-api'))).toEqual([
      'node_modules/@sfmcp/plugin-api',
    ]);
    // Only the sources' own files: no declaration maps pointing at sources that are not shipped.
    const server = join(project, 'node_modules', '@sfmcp', 'server');
    expect(existsSync(join(server, 'dist', 'index.d.ts.map'))).toBe(false);
    for (const name of ['server', 'data', 'plugin-api'])
      expect(existsSync(join(project, 'node_modules', '@sfmcp', name, 'LICENSE')), name).toBe(true);
  });

  it('lists the data toolset from its manifest', () => {
    const listed = runServer(['--list-plugins']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /loaded {2}@sfmcp\/data@\d+\.\d+\.\d+ — toolset data, \d+ tools\n.*\n.*listed from its manifest/,
    );
    const help = runServer(['--help']);
    expect(help.stdout).toMatch(/run_soql_query/);
    expect(help.stdout).toMatch(/^Usage: sfmcp-server \[flags\]/);
  });

  it("serves data's tools on an org authorized in HOME", async () => {
    const server = await spawnServer({
      bin: serverBin(),
      args: ['--toolsets', 'data', '--orgs', 'acme'],
      cwd: project,
      env: serverEnv(),
    });
    const names = (await server.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['run_soql_query', 'describe_object', 'create_records']));
    const result = await callTool(server.client, 'run_soql_query', {
      query: 'SELECT Name FROM Account ORDER BY Name LIMIT 2',
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toMatch(/acme/);
    expect(result.text).toMatch(/Name/);
    await server.close();
  });

  it('--local-org says in one line how to get the local org, with exit code 2', () => {
    const result = runServer(['--local-org', '--toolsets', 'data']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(LOCAL_ORG_MISSING);
  });

  it('--local-org finds @sfmcp/local-org installed beside it, in the package that starts the server', async () => {
    // Like the sfmcp package: it depends on @sfmcp/local-org and passes its own folder as a discovery root.
    // Here local-org is not where the server itself would find it: only the root leads to it.
    const meta = join(project, 'meta');
    mkdirSync(meta);
    writeFileSync(
      join(meta, 'package.json'),
      JSON.stringify({ name: 'meta', private: true, type: 'module' }),
    );
    npmInstall(meta, [tarballs['@sfmcp/local-org']!]);
    writeFileSync(
      join(meta, 'bin.js'),
      `import { fileURLToPath } from 'node:url';
import { prepareProcess } from '@sfmcp/server/startup';
prepareProcess();
const { runCli } = await import('@sfmcp/server');
process.exit(await runCli({ discoveryRoots: [fileURLToPath(new URL('.', import.meta.url))] }));
`,
    );
    const server = await spawnServer({
      bin: join(meta, 'bin.js'),
      args: ['--local-org', '--toolsets', 'data'],
      cwd: project,
      env: serverEnv(),
    });
    const result = await callTool(server.client, 'run_soql_query', {
      query: 'SELECT Name FROM Account LIMIT 1',
    });
    expect(result.isError).toBeFalsy();
    expect(server.stderr()).toMatch(/local org \(a Salesforce test double, not Salesforce\)/);
    await server.close();
  });
});
