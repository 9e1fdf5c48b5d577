import { existsSync, readFileSync } from 'node:fs';
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

/** True when @salesforce/core has an auth file for the username. */
export function hasAuthFile(username: string, home: string = homedir()): boolean {
  return existsSync(join(home, '.sfdx', `${username}.json`));
}
