import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Plugin, apiVersion, definePlugin, isCompatibleApiVersion } from '@sfmcp/plugin-api';
import { type PluginListing, listPlugin } from './listing.js';
import { lazyPlugin, readManifest } from './manifest.js';

/** What discovery found for one package, and what it decided: "why is this loaded?". */
export interface PluginReport {
  packageName: string;
  version?: string;
  /** Folder of the package. */
  location: string;
  /** How it was found. */
  via: 'installed' | '--plugin';
  status: 'loaded' | 'skipped' | 'failed';
  reason: string;
  plugin?: PluginListing;
}

const PLUGIN_NAME = /^(@sfmcp\/[^/]+|sfmcp-plugin-[^/]+|@[^/]+\/sfmcp-plugin-[^/]+)$/;

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  sfmcp?: unknown;
}

function readPackageJson(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** Every node_modules folder from `start` up to the file system root. */
function nodeModulesChain(start: string): string[] {
  const chain: string[] = [];
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(candidate)) chain.push(candidate);
    const parent = dirname(dir);
    if (parent === dir) return chain;
    dir = parent;
  }
}

/** Package folders in one node_modules whose names look like sfmcp plugins. */
function candidatesIn(nodeModules: string): string[] {
  const found: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(nodeModules);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (entry.startsWith('@')) {
      let scoped: string[];
      try {
        scoped = readdirSync(join(nodeModules, entry));
      } catch {
        continue;
      }
      for (const name of scoped)
        if (PLUGIN_NAME.test(`${entry}/${name}`)) found.push(join(nodeModules, entry, name));
    } else if (PLUGIN_NAME.test(entry)) {
      found.push(join(nodeModules, entry));
    }
  }
  return found;
}

/** The module to import: `sfmcp.plugin` when the package names one, else its main entry. */
function entryOf(dir: string, pkg: PackageJson): string {
  const declared =
    typeof pkg.sfmcp === 'object' && pkg.sfmcp !== null
      ? (pkg.sfmcp as { plugin?: unknown }).plugin
      : undefined;
  if (typeof declared === 'string') return join(dir, declared);
  const exportsField = pkg.exports as Record<string, unknown> | string | undefined;
  const dot = typeof exportsField === 'string' ? exportsField : exportsField?.['.'];
  const fromExports =
    typeof dot === 'string'
      ? dot
      : ((dot as { import?: string; default?: string } | undefined)?.import ??
        (dot as { default?: string } | undefined)?.default);
  return join(dir, fromExports ?? pkg.main ?? 'index.js');
}

async function load(dir: string, via: PluginReport['via'], serverApiVersion: string): Promise<PluginReport> {
  const pkg = readPackageJson(dir);
  const base = { packageName: pkg?.name ?? dir, version: pkg?.version, location: dir, via };
  if (!pkg) return { ...base, status: 'failed', reason: 'no readable package.json' };
  if (pkg.sfmcp === undefined)
    return { ...base, status: 'skipped', reason: 'no "sfmcp" field in package.json (not a plugin)' };
  const sfmcpField =
    typeof pkg.sfmcp === 'object' && pkg.sfmcp !== null ? (pkg.sfmcp as { manifest?: unknown }) : {};
  const importPlugin = async () => {
    const module = (await import(pathToFileURL(entryOf(dir, pkg)).href)) as {
      default?: unknown;
      plugin?: unknown;
    };
    return definePlugin((module.default ?? module.plugin) as Plugin);
  };
  let plugin: PluginListing;
  let lazy = false;
  try {
    const manifest =
      typeof sfmcpField.manifest === 'string' ? readManifest(join(dir, sfmcpField.manifest)) : undefined;
    if (manifest && !manifest.eager) {
      plugin = lazyPlugin(manifest, importPlugin, pkg.name ?? dir);
      lazy = true;
    } else {
      plugin = listPlugin(await importPlugin());
    }
  } catch (error) {
    return { ...base, status: 'failed', reason: `could not load: ${(error as Error).message}` };
  }
  if (!isCompatibleApiVersion(String(plugin.apiVersion), serverApiVersion)) {
    return {
      ...base,
      status: 'failed',
      reason: `built for plugin API ${plugin.apiVersion}, but this server speaks ${serverApiVersion}: upgrade the plugin or the server`,
    };
  }
  return {
    ...base,
    status: 'loaded',
    reason: `${via === '--plugin' ? 'named with --plugin' : 'installed, with an "sfmcp" field'}${lazy ? '; listed from its manifest, imported on first use' : ''}`,
    plugin,
  };
}

/** Where a --plugin value points: a path (relative to the project dir) or a package name resolved from it. */
function locateExplicit(spec: string, projectDir: string): string {
  const looksLikePath = spec.startsWith('.') || isAbsolute(spec);
  if (looksLikePath) {
    const path = resolve(projectDir, spec);
    return existsSync(path) && statSync(path).isFile() ? dirname(path) : path;
  }
  for (const base of [projectDir, import.meta.dirname]) {
    try {
      return dirname(createRequire(join(base, 'noop.js')).resolve(`${spec}/package.json`));
    } catch {
      // try the next base
    }
  }
  throw new Error(`package ${spec} is not installed (looked from ${projectDir})`);
}

export interface DiscoveryOptions {
  /** Folders whose node_modules chains are searched: the project dir, the server's own place, the meta package's. */
  roots: readonly string[];
  /** --plugin values. */
  explicit: readonly string[];
  projectDir: string;
  serverApiVersion?: string;
}

/**
 * Finds and loads plugins. A broken or incompatible plugin is reported and skipped; the others still load.
 * The first copy of a package found wins; later copies are reported as shadowed.
 */
export async function discoverPlugins(options: DiscoveryOptions): Promise<PluginReport[]> {
  const serverApiVersion = options.serverApiVersion ?? apiVersion;
  const reports: PluginReport[] = [];
  const seenPackages = new Map<string, string>();
  const seenDirs = new Set<string>();
  const pending: { dir: string; via: PluginReport['via'] }[] = [];

  for (const spec of options.explicit) {
    try {
      pending.push({ dir: locateExplicit(spec, options.projectDir), via: '--plugin' });
    } catch (error) {
      reports.push({
        packageName: spec,
        location: spec,
        via: '--plugin',
        status: 'failed',
        reason: (error as Error).message,
      });
    }
  }
  for (const root of options.roots) {
    for (const nodeModules of nodeModulesChain(root)) {
      for (const dir of candidatesIn(nodeModules)) pending.push({ dir, via: 'installed' });
    }
  }

  const loaded = await Promise.all(
    pending.map(({ dir, via }) => {
      if (seenDirs.has(dir)) return undefined;
      seenDirs.add(dir);
      return load(dir, via, serverApiVersion);
    }),
  );
  for (const report of loaded) {
    if (!report) continue;
    const firstAt = seenPackages.get(report.packageName);
    if (firstAt !== undefined && report.status !== 'failed') {
      reports.push({
        ...report,
        status: 'skipped',
        reason: `shadowed by the copy at ${firstAt}`,
        plugin: undefined,
      });
      continue;
    }
    if (report.status === 'loaded') seenPackages.set(report.packageName, report.location);
    reports.push(report);
  }
  return reports;
}

export function formatPluginReports(reports: readonly PluginReport[]): string {
  if (reports.length === 0) return 'No sfmcp plugins found.';
  return reports
    .map((report) => {
      const tools = report.plugin
        ? ` — toolset ${report.plugin.toolset}, ${report.plugin.tools.length} tool${report.plugin.tools.length === 1 ? '' : 's'}`
        : '';
      return `${report.status.padEnd(7)} ${report.packageName}${report.version ? '@' + report.version : ''}${tools}\n        from ${report.location} (${report.via})\n        ${report.reason}`;
    })
    .join('\n');
}
