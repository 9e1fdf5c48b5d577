/**
 * `sfmcp doctor`: would this configuration start and work? Checks what a first start depends on — Node, the
 * orgs `--orgs` names (each really called), the DX project, Java for Code Analyzer, git for DevOps Center,
 * the plugins, the audit log — and prints each with a fix. Exit code 0 only when nothing fails.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AllowedOrgSummary, classifyConnectionError, formatTable, shortReason } from '@sfmcp/plugin-api';
import { type ClientId, clientName, clientSetup } from './clients.js';
import type { ServerOptions } from './cli.js';
import { findDxProjectRoot } from './orgs/sf-state.js';
import type { Runtime } from './runtime.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  check: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

const ORG_CHECK_MS = 20_000;
const MIN_JAVA = 11;
const MIN_GIT: [number, number] = [2, 38];

export function checkNode(version: string = process.versions.node): DoctorCheck {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > 22 || (major === 22 && minor >= 12);
  return {
    check: 'Node',
    status: ok ? 'ok' : 'fail',
    detail: `Node ${version}`,
    ...(ok ? {} : { fix: 'Install Node 22 LTS (https://nodejs.org, or `nvm install 22`)' }),
  };
}

/** One allowed org, really called: connected (with its kind), expired, unreachable, or not logged in. */
async function checkOrg(runtime: Runtime, org: AllowedOrgSummary): Promise<DoctorCheck> {
  const name = org.alias ? `${org.alias} (${org.username})` : org.username;
  // Named by an alias that has no login yet: the username field holds it.
  const alias = org.alias ?? (org.username.includes('@') ? 'my-org' : org.username);
  const login = `sf org login web --alias ${alias}${org.isSandbox ? ' --instance-url https://test.salesforce.com' : ''}`;
  if (org.error) return { check: `org ${name}`, status: 'fail', detail: org.error, fix: `Log in: ${login}` };
  try {
    let timer: NodeJS.Timeout | undefined;
    const handle = await Promise.race([
      (async () => {
        const opened = await runtime.orgAccess.open(org.username);
        await opened.connection.query('SELECT Id FROM Organization LIMIT 1');
        return opened;
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ORG_CHECK_MS / 1000} s`)), ORG_CHECK_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    return {
      check: `org ${name}`,
      status: 'ok',
      detail: `connected, ${handle.kind}, ${handle.instanceUrl}${org.grantedBy === 'DEFAULT_TARGET_ORG' ? ' (from DEFAULT_TARGET_ORG)' : ''}`,
      ...(org.grantedBy === 'DEFAULT_TARGET_ORG' && org.alias
        ? {
            fix: `Pin it: --orgs ${org.alias} (DEFAULT_TARGET_ORG follows whatever default was last set in any terminal)`,
          }
        : {}),
    };
  } catch (error) {
    const status = classifyConnectionError(error);
    const fix =
      status === 'expired'
        ? `The login has expired: ${login}`
        : status === 'unreachable'
          ? `Check the network and the instance URL (sf org display --target-org ${org.alias ?? org.username})`
          : `See sf org display --target-org ${org.alias ?? org.username}`;
    return { check: `org ${name}`, status: 'fail', detail: `${status}: ${shortReason(error)}`, fix };
  }
}

async function checkOrgs(
  runtime: Runtime,
  options: ServerOptions,
): Promise<{ checks: DoctorCheck[]; orgs: AllowedOrgSummary[]; connected: AllowedOrgSummary[] }> {
  const needOrgs = runtime.selected.some((entry) => entry.tool.needsOrg);
  const orgs = await runtime.orgAccess.list();
  if (orgs.length === 0) {
    const none = options.orgs.length === 0 && !options.localOrg;
    const check: DoctorCheck = {
      check: 'orgs',
      status: needOrgs ? 'fail' : 'warn',
      detail: none
        ? 'no --orgs: the server has no org access'
        : `no org matches --orgs ${options.orgs.join(',')}`,
      fix: 'Log in (sf org login web --alias my-sandbox), then pass --orgs my-sandbox; or --local-org to try sfmcp offline',
    };
    return { checks: [check], orgs, connected: [] };
  }
  const checks = await Promise.all(orgs.map((org) => checkOrg(runtime, org)));
  const connected = orgs.filter((_org, index) => checks[index]?.status === 'ok');
  if (options.orgs.includes('DEFAULT_TARGET_ORG') && !checks.some((check) => check.fix?.startsWith('Pin')))
    checks.push({
      check: 'orgs',
      status: 'warn',
      detail: 'DEFAULT_TARGET_ORG follows whatever default was last set in any terminal',
      fix: 'Pin an alias: --orgs my-sandbox',
    });
  return { checks, orgs, connected };
}

function checkProject(options: ServerOptions, runtime: Runtime): DoctorCheck {
  const root = existsSync(options.projectDir) ? findDxProjectRoot(options.projectDir) : undefined;
  if (root) return { check: 'DX project', status: 'ok', detail: join(root, 'sfdx-project.json') };
  const needing = ['metadata', 'apex-testing', 'code-analysis', 'lwc-experts'].filter((toolset) =>
    runtime.selected.some((entry) => entry.toolset === toolset),
  );
  return {
    check: 'DX project',
    status: 'warn',
    detail: `no sfdx-project.json at or above ${options.projectDir}${needing.length ? ` (${needing.join(', ')} work in one)` : ''}`,
    fix: 'Start sfmcp in your project, or pass --project-dir <your project>; sf project generate --name my-project makes one',
  };
}

function versionOf(command: string, args: string[], pattern: RegExp): number[] | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) return undefined;
  const match = pattern.exec(`${result.stdout}\n${result.stderr}`);
  return match ? match.slice(1).map(Number) : undefined;
}

function checkJava(runtime: Runtime): DoctorCheck | undefined {
  if (!runtime.selected.some((entry) => entry.toolset === 'code-analysis')) return undefined;
  const version = versionOf('java', ['-version'], /version "(\d+)(?:\.(\d+))?/);
  // Java 8 says "1.8": its major is the second number.
  const major = version ? (version[0] === 1 ? (version[1] ?? 0) : (version[0] ?? 0)) : undefined;
  if (major !== undefined && major >= MIN_JAVA)
    return {
      check: 'Java',
      status: 'ok',
      detail: `Java ${major} (Code Analyzer's PMD, CPD and Graph Engine)`,
    };
  return {
    check: 'Java',
    status: 'warn',
    detail: `${major === undefined ? 'java not found' : `Java ${major}`}: Code Analyzer's PMD, CPD and Graph Engine are skipped`,
    fix: 'Install a JDK 11 or newer (e.g. Temurin 17) and put java on PATH',
  };
}

function checkGit(runtime: Runtime): DoctorCheck | undefined {
  if (!runtime.selected.some((entry) => entry.toolset === 'devops')) return undefined;
  const version = versionOf('git', ['--version'], /git version (\d+)\.(\d+)/);
  const [major = 0, minor = 0] = version ?? [];
  if (version && (major > MIN_GIT[0] || (major === MIN_GIT[0] && minor >= MIN_GIT[1])))
    return { check: 'git', status: 'ok', detail: `git ${major}.${minor} (DevOps Center tools)` };
  return {
    check: 'git',
    status: 'warn',
    detail: `${version ? `git ${major}.${minor}` : 'git not found'}: the DevOps Center tools need git ${MIN_GIT.join('.')} or later`,
    fix: 'Install or update git (https://git-scm.com)',
  };
}

function checkPlugins(runtime: Runtime): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const toolsets = [...new Set(runtime.selected.map((entry) => entry.toolset))];
  checks.push({
    check: 'toolsets',
    status: toolsets.length ? 'ok' : 'fail',
    detail: toolsets.length
      ? `${runtime.selected.length} tools from ${toolsets.join(', ')}`
      : 'no tools would be listed',
    ...(toolsets.length ? {} : { fix: 'Check --toolsets and --tools against sfmcp --help' }),
  });
  for (const report of runtime.reports)
    if (report.status === 'failed')
      checks.push({
        check: `plugin ${report.packageName}`,
        status: 'fail',
        detail: report.reason,
        fix: `Reinstall it, or leave it out (sfmcp --list-plugins shows where it was found: ${report.location})`,
      });
  return checks;
}

/** Whether the audit log can be written, without creating it. */
export function checkAuditLog(path: string): DoctorCheck {
  let probe = path;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    if (probe === path && statSync(path).isDirectory()) throw new Error('it is a folder');
    if (probe !== path && !statSync(probe).isDirectory()) throw new Error(`${probe} is not a folder`);
    accessSync(probe, constants.W_OK);
    return { check: 'audit log', status: 'ok', detail: `${path} (writable)` };
  } catch (error) {
    return {
      check: 'audit log',
      status: 'fail',
      detail: `${path} cannot be written (${(error as Error).message}): the server would not start`,
      fix: 'Choose a writable file with --audit-log <file>',
    };
  }
}

/** The sfmcp arguments for a client's configuration: the orgs pinned to what was found. */
export function clientArgs(
  options: ServerOptions,
  orgs: AllowedOrgSummary[],
  connected: AllowedOrgSummary[],
): string[] {
  const args: string[] = [];
  const pinned = (connected.length ? connected : orgs).map((org) => org.alias ?? org.username);
  if (options.localOrg) args.push('--local-org');
  else args.push('--orgs', pinned.length ? pinned.join(',') : 'my-sandbox');
  if (options.toolsets !== 'all') args.push('--toolsets', options.toolsets.join(','));
  if (options.tools.length) args.push('--tools', options.tools.join(','));
  if (options.readOnly) args.push('--read-only');
  if (options.allowNonGaTools) args.push('--allow-non-ga-tools');
  if (options.dynamicTools) args.push('--dynamic-tools');
  if (options.projectDir !== process.cwd()) args.push('--project-dir', options.projectDir);
  return args;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  text: string;
  exitCode: number;
}

export async function runDoctor(runtime: Runtime, client?: ClientId): Promise<DoctorReport> {
  const options = runtime.options;
  const found = await checkOrgs(runtime, options);
  const checks = [
    checkNode(),
    ...found.checks,
    checkProject(options, runtime),
    checkJava(runtime),
    checkGit(runtime),
    ...checkPlugins(runtime),
    checkAuditLog(runtime.audit?.path ?? join(runtime.home, '.sfmcp', 'audit.jsonl')),
  ].filter((check): check is DoctorCheck => check !== undefined);
  const failed = checks.filter((check) => check.status === 'fail');
  const table = formatTable(
    checks.map((check) => ({
      Check: check.check,
      Status: check.status,
      Detail: check.detail,
      Fix: check.fix ?? '',
    })),
  );
  const lines = [
    table,
    '',
    failed.length
      ? `${failed.length} problem${failed.length === 1 ? '' : 's'}: this configuration would not work until ${failed.length === 1 ? 'it is' : 'they are'} fixed.`
      : 'This configuration would start and work.',
  ];
  if (client) {
    const args = clientArgs(options, found.orgs, found.connected);
    lines.push('', `## ${clientName(client)}`, '', clientSetup(client, args));
  }
  return { checks, text: lines.join('\n'), exitCode: failed.length ? 1 : 0 };
}
