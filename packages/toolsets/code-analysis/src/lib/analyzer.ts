import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAnalyzer } from '@salesforce/code-analyzer-core';
import type {
  ConfigObject,
  ConfigValueExtractor,
  Engine,
  EnginePlugin,
  EnginePluginV1,
} from '@salesforce/code-analyzer-engine-api';
import { cancelled } from '@sfmcp/plugin-api';

/** An engine that was not added to the analyzer, and why. */
export interface SkippedEngine {
  engine: string;
  reason: string;
}

/** The config file names Code Analyzer itself looks for in a project's root, in its order. */
export const CONFIG_FILE_NAMES = ['code-analyzer.yml', 'code-analyzer.yaml'] as const;

/** The engines that need a Java runtime. */
export const JAVA_ENGINES = ['pmd', 'cpd', 'sfge'] as const;

/** The one line a run shows when the Java engines could not be added. */
export function javaHint(engines: readonly string[]): string {
  return (
    `${engines.join(', ')} skipped: no Java 11+ found. Install a JDK 11 or later and put java on PATH, ` +
    `or set engines.<engine>.java_command in code-analyzer.yml.`
  );
}

/** The project's code-analyzer.yml (or .yaml), when it has one. */
export function findConfigFile(root: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = join(root, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

type PluginModule = { createEnginePlugin(): EnginePlugin };

/** Every engine plugin this toolset ships, loaded only when an analyzer is built. */
const ENGINE_PLUGINS: { engines: string[]; load: () => Promise<PluginModule> }[] = [
  { engines: ['eslint'], load: () => import('@salesforce/code-analyzer-eslint-engine') },
  { engines: ['regex'], load: () => import('@salesforce/code-analyzer-regex-engine') },
  { engines: ['retire-js'], load: () => import('@salesforce/code-analyzer-retirejs-engine') },
  { engines: ['pmd', 'cpd'], load: () => import('@salesforce/code-analyzer-pmd-engine') },
  { engines: ['sfge'], load: () => import('@salesforce/code-analyzer-sfge-engine') },
  { engines: ['flow'], load: () => import('@salesforce/code-analyzer-flow-engine') },
];

/**
 * A CodeAnalyzer for the project at `root` (its code-analyzer.yml honoured when present), with every engine
 * that can run here added; engines that cannot (no Java) are reported, not thrown. Engines are imported here,
 * never at module load.
 */
export async function createAnalyzer(
  root: string,
  options: { configPath?: string; signal?: AbortSignal } = {},
): Promise<{ analyzer: CodeAnalyzer; skipped: SkippedEngine[] }> {
  const { signal } = options;
  const core = await import('@salesforce/code-analyzer-core');
  const engineApi = await import('@salesforce/code-analyzer-engine-api');
  const configPath = options.configPath ?? findConfigFile(root);
  const config = configPath
    ? core.CodeAnalyzerConfig.fromFile(configPath)
    : core.CodeAnalyzerConfig.fromObject({}, root);
  const analyzer = new core.CodeAnalyzer(config);
  const skipped: SkippedEngine[] = [];

  const modules = await Promise.all(ENGINE_PLUGINS.map((entry) => entry.load()));
  for (const module of modules) {
    if (signal?.aborted) throw cancelled();
    const plugin = module.createEnginePlugin() as EnginePluginV1;
    // Each engine's config is resolved once, here: an engine whose config cannot be made (no Java, no
    // Python, a wrong setting) is left out and reported instead of becoming a pseudo-violation in results.
    const resolved = new Map<string, ConfigObject>();
    for (const engine of plugin.getAvailableEngineNames()) {
      const overrides = config.getEngineOverridesFor(engine);
      if (engineApi.getValueUsingCaseInsensitiveKey(overrides, 'disable_engine') === true) continue;
      const extractor = new engineApi.ConfigValueExtractor(
        overrides,
        `engines.${engine}`,
        config.getConfigRoot(),
      );
      extractor.addKeysThatBypassValidation(['disable_engine']);
      try {
        resolved.set(engine, await plugin.createEngineConfig(engine, extractor));
      } catch (error) {
        skipped.push({ engine, reason: skipReason(engine, error) });
      }
    }
    if (signal?.aborted) throw cancelled();
    const available = plugin
      .getAvailableEngineNames()
      .filter((engine) => !skipped.some((entry) => entry.engine === engine));
    if (available.length === 0) continue;
    await analyzer.addEnginePlugin(bridged(plugin, available, resolved));
  }
  return { analyzer, skipped };
}

/** Why an engine's config could not be made, in one line. */
function skipReason(engine: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if ((JAVA_ENGINES as readonly string[]).includes(engine) && /java/i.test(message))
    return 'needs Java 11 or later on PATH (or engines.' + engine + '.java_command in code-analyzer.yml)';
  if (engine === 'flow' && /python/i.test(message))
    return 'needs Python 3.10 or later on PATH (or engines.flow.python_command in code-analyzer.yml)';
  return message.split('\n').find((line) => line.trim() !== '') ?? 'could not be started';
}

/**
 * The plugin as the analyzer sees it: only the engines that can run, their configs as resolved above, and
 * engines built on an older engine API (the flow engine: no removeEventListener) brought up to the current one.
 */
function bridged(
  plugin: EnginePluginV1,
  engines: string[],
  resolved: Map<string, ConfigObject>,
): EnginePlugin {
  return {
    getApiVersion: () => plugin.getApiVersion(),
    getAvailableEngineNames: () => engines,
    describeEngineConfig: (engine: string) => plugin.describeEngineConfig(engine),
    createEngineConfig: async (engine: string, extractor: ConfigValueExtractor) =>
      resolved.get(engine) ?? plugin.createEngineConfig(engine, extractor),
    createEngine: async (engine: string, config: ConfigObject) =>
      withCurrentApi(await plugin.createEngine(engine, config)),
  } as unknown as EnginePlugin;
}

function withCurrentApi(engine: Engine): Engine {
  type Listener = (...args: unknown[]) => void;
  const legacy = engine as unknown as {
    removeEventListener?: unknown;
    eventEmitter?: { off(type: string, listener: Listener): void };
  };
  const emitter = legacy.eventEmitter;
  if (typeof legacy.removeEventListener !== 'function' && emitter)
    Object.defineProperty(engine, 'removeEventListener', {
      value: (type: string, listener: Listener) => emitter.off(type, listener),
    });
  return engine;
}
