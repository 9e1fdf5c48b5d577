import { stat } from 'node:fs/promises';
import { type DxProject, cancelled } from '@sfmcp/plugin-api';
import { type SkippedEngine, javaHint } from './analyzer.js';
import { resolveConfig } from './config.js';
import { parseSelector, severityName } from './results.js';
import { type RuleInfo, runAnalysis } from './run.js';

export interface RuleCatalog {
  rules: RuleInfo[];
  skipped: SkippedEngine[];
  /** The config file the catalog was read with, if any. */
  configPath?: string;
}

/** Catalogs by project root, config file and its modification time: describing every engine's rules takes seconds. */
const catalogs = new Map<string, Promise<RuleCatalog>>();
const MAX_CATALOGS = 8;

/**
 * Every rule of every engine that can run here, with the project's code-analyzer.yml (its custom rules, severity
 * and tag overrides) applied; described once per config version, in a child process, then kept.
 */
export async function ruleCatalog(
  project: DxProject | undefined,
  fallbackRoot: string,
  signal: AbortSignal,
): Promise<RuleCatalog> {
  const root = project?.root ?? fallbackRoot;
  const configPath = project ? resolveConfig(project) : undefined;
  const version = configPath ? await stat(configPath).then((stats) => `${stats.mtimeMs}:${stats.size}`) : '';
  const key = JSON.stringify([root, configPath ?? '', version]);
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = runAnalysis(
      { mode: 'rules', root, ...(configPath ? { configPath } : {}), selectors: [], targets: [] },
      // Shared by every caller: one caller cancelling does not stop the others' catalog.
      { signal: new AbortController().signal, onProgress: () => undefined },
    ).then((outcome) => ({
      rules: outcome.ruleList ?? [],
      skipped: outcome.skipped,
      ...(configPath ? { configPath } : {}),
    }));
    catalogs.set(key, catalog);
    catalog.catch(() => catalogs.delete(key));
    while (catalogs.size > MAX_CATALOGS) catalogs.delete(catalogs.keys().next().value!);
  }
  return abortable(catalog, signal);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Code Analyzer's own rule matching: a word is `all`, an engine, a rule name, a severity (name or 1–5) or a tag. */
export function ruleMatcher(selector: string): (rule: RuleInfo) => boolean {
  return parseSelector<RuleInfo>(selector, (word) => {
    const lower = word.toLowerCase();
    return (rule) => {
      const tags = rule.tags.map((tag) => tag.toLowerCase());
      // DevPreviewApexGuru rules are opt-in: never picked by 'all' or a severity (as Code Analyzer does).
      const optIn = tags.includes('devpreviewapexguru');
      const selectables = [
        rule.engine.toLowerCase(),
        rule.name.toLowerCase(),
        ...tags,
        ...(optIn ? [] : ['all', severityName(rule.severity).toLowerCase(), String(rule.severity)]),
      ];
      return selectables.includes(lower);
    };
  });
}

export function byEngineAndName(a: RuleInfo, b: RuleInfo): number {
  return a.engine.localeCompare(b.engine) || a.name.localeCompare(b.name);
}

/** One line per engine that could not be described (the Java ones together). */
export function skippedNotes(skipped: readonly { engine: string; reason: string }[]): string[] {
  const java = skipped.filter((entry) => /Java/.test(entry.reason));
  return [
    ...(java.length ? [javaHint(java.map((entry) => entry.engine))] : []),
    ...skipped
      .filter((entry) => !java.includes(entry))
      .map((entry) => `${entry.engine} skipped: ${entry.reason}`),
  ];
}
