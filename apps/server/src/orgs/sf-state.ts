import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * What the sf CLI's configuration says, read once at start from the files @salesforce/core keeps
 * (the same places and precedence as its ConfigAggregator and StateAggregator), so that the
 * allowlist is pinned without loading @salesforce/core before the server answers.
 */
export interface SfStateSnapshot {
  targetOrg?: string;
  targetDevHub?: string;
  /** alias → username */
  aliases: Map<string, string>;
  /** Where the values came from, for messages. */
  sources: { targetOrg?: string; targetDevHub?: string };
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The nearest folder at or above `start` holding sfdx-project.json. */
export function findDxProjectRoot(start: string, stopAt?: string): string | undefined {
  let dir = resolve(start);
  const stop = stopAt ? resolve(stopAt) : undefined;
  for (;;) {
    if (existsSync(join(dir, 'sfdx-project.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir || dir === stop) return undefined;
    dir = parent;
  }
}

function configValue(
  key: 'target-org' | 'target-dev-hub',
  legacyKey: string,
  envNames: string[],
  projectRoot: string | undefined,
  home: string,
): { value?: string; source?: string } {
  for (const name of envNames) {
    const value = process.env[name];
    if (value) return { value, source: `environment variable ${name}` };
  }
  const files: [string, string][] = [];
  if (projectRoot) {
    files.push(
      [join(projectRoot, '.sf', 'config.json'), key],
      [join(projectRoot, '.sfdx', 'sfdx-config.json'), legacyKey],
    );
  }
  files.push([join(home, '.sf', 'config.json'), key], [join(home, '.sfdx', 'sfdx-config.json'), legacyKey]);
  for (const [file, name] of files) {
    const value = readJson(file)?.[name];
    if (typeof value === 'string' && value) return { value, source: file };
  }
  return {};
}

export function readSfState(projectDir: string, home: string = homedir()): SfStateSnapshot {
  const projectRoot = findDxProjectRoot(projectDir);
  const aliases = new Map<string, string>();
  const aliasFile = readJson(join(home, '.sfdx', 'alias.json'));
  const orgAliases = (aliasFile?.orgs ?? {}) as Record<string, unknown>;
  for (const [alias, username] of Object.entries(orgAliases)) {
    if (typeof username === 'string') aliases.set(alias, username);
  }
  const targetOrg = configValue(
    'target-org',
    'defaultusername',
    ['SF_TARGET_ORG', 'SFDX_DEFAULTUSERNAME'],
    projectRoot,
    home,
  );
  const targetDevHub = configValue(
    'target-dev-hub',
    'defaultdevhubusername',
    ['SF_TARGET_DEV_HUB', 'SFDX_DEFAULTDEVHUBUSERNAME'],
    projectRoot,
    home,
  );
  return {
    targetOrg: targetOrg.value,
    targetDevHub: targetDevHub.value,
    aliases,
    sources: { targetOrg: targetOrg.source, targetDevHub: targetDevHub.source },
  };
}

/** The username an alias or username stands for. */
export function toUsername(state: SfStateSnapshot, usernameOrAlias: string): string {
  return state.aliases.get(usernameOrAlias) ?? usernameOrAlias;
}

/** The first alias of a username, if it has one. */
export function aliasOf(state: SfStateSnapshot, username: string): string | undefined {
  for (const [alias, target] of state.aliases)
    if (target.toLowerCase() === username.toLowerCase()) return alias;
  return undefined;
}

/** The instance URL an auth file records (a plain field: nothing is decrypted). */
export function authFileInstanceUrl(username: string, home: string = homedir()): string | undefined {
  const value = readJson(join(home, '.sfdx', `${username}.json`))?.instanceUrl;
  return typeof value === 'string' && value ? value : undefined;
}

/** True when @salesforce/core has an auth file for the username. */
export function hasAuthFile(username: string, home: string = homedir()): boolean {
  return existsSync(join(home, '.sfdx', `${username}.json`));
}

/** What an sf auth file says about its org, without decrypting anything. */
export interface AuthFileSummary {
  username: string;
  aliases: string[];
  orgId?: string;
  instanceUrl?: string;
  isDevHub: boolean;
  isScratch: boolean;
  isSandbox: boolean;
  /** Scratch org or trial expiry, as the file has it. */
  expirationDate?: string;
  /** The file could not be read. */
  error?: string;
}

/** Auth files in ~/.sfdx, as @salesforce/core's OrgAccessor recognises them. */
const AUTH_FILE = /^[^.][^@]*@[^.]+(\.[^.\s]+)+\.json$/;

/**
 * Every sf login in `home`, read from the auth files as @salesforce/core's
 * `AuthInfo.listAllAuthorizations()` describes them — read here because that function writes: its
 * StateAggregator creates `~/.sfdx/alias.json` (and the folder) when they are missing.
 */
export function readAuthFiles(home: string = homedir()): AuthFileSummary[] {
  const dir = join(home, '.sfdx');
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => AUTH_FILE.test(file));
  } catch {
    return [];
  }
  const aliases = new Map<string, string[]>();
  const orgAliases = (readJson(join(dir, 'alias.json'))?.orgs ?? {}) as Record<string, unknown>;
  for (const [alias, username] of Object.entries(orgAliases)) {
    if (typeof username !== 'string') continue;
    const key = username.toLowerCase();
    aliases.set(key, [...(aliases.get(key) ?? []), alias]);
  }
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  return files.sort().map((file) => {
    const fallbackUsername = file.slice(0, -'.json'.length);
    const fields = readJson(join(dir, file));
    if (!fields) {
      return {
        username: fallbackUsername,
        aliases: aliases.get(fallbackUsername.toLowerCase()) ?? [],
        isDevHub: false,
        isScratch: false,
        isSandbox: false,
        error: `The auth file for ${fallbackUsername} is invalid.`,
      };
    }
    const username = text(fields.username) ?? fallbackUsername;
    const orgId = text(fields.orgId);
    const expirationDate = text(fields.expirationDate) ?? text(fields.trialExpirationDate);
    return {
      username,
      aliases: aliases.get(username.toLowerCase()) ?? [],
      ...(orgId ? { orgId } : {}),
      ...(text(fields.instanceUrl) ? { instanceUrl: text(fields.instanceUrl) } : {}),
      isDevHub: fields.isDevHub === true,
      isScratch: Boolean(text(fields.devHubUsername)) || fields.isScratch === true,
      isSandbox:
        fields.isSandbox === true || (orgId !== undefined && existsSync(join(dir, `${orgId}.sandbox.json`))),
      ...(expirationDate ? { expirationDate } : {}),
    };
  });
}
