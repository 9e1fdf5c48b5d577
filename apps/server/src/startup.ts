import type { runCli } from './main.js';

// Built-in modules through getBuiltinModule, not `import`: an ES module import of one builds its whole
// ES module facade, and node:fs's loads the file streams on every start.
const { readFileSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { createRequire, enableCompileCache } = process.getBuiltinModule('node:module');
const { dirname } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');
const { setFlagsFromString } = process.getBuiltinModule('node:v8');
const { Script } = process.getBuiltinModule('node:vm');

/**
 * Call before importing the server. An MCP server waits on orgs, not on CPU: V8's top-tier optimizer
 * (TurboFan) costs ~8 MB at start-up and buys nothing measurable for I/O-bound tool calls, so it is off
 * (the baseline compiler, Sparkplug, still compiles hot code; Node 22 leaves Maglev off). SFMCP_FULL_JIT=1
 * turns it back on. The compile cache makes later
 * starts faster. No input may end the server: a failure that escapes a tool is logged on stderr and the
 * server keeps answering.
 */
export function prepareProcess(): void {
  enableCompileCache?.();
  if (!process.env.SFMCP_FULL_JIT) setFlagsFromString('--no-opt');
  const report = (what: string) => (error: unknown) =>
    process.stderr.write(
      `sfmcp: ${what} (the server keeps running): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.on('unhandledRejection', report('unhandled rejection'));
  process.on('uncaughtException', report('uncaught exception'));
  // The client closed its end of stdout: there is nobody left to answer.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
}

/** What a bin needs from the server. */
export interface ServerEntry {
  runCli: typeof runCli;
}

/** The bundle the build writes beside this file (see build/bundle.mjs), and its warmed V8 code cache. */
const BUNDLE = fileURLToPath(new URL('./sfmcp-server.cjs', import.meta.url));
const CACHE = `${BUNDLE}.cache`;

/**
 * The server, for a bin: from the one-file bundle with its code cache when the build made them (start-up
 * then reads two files and compiles almost nothing), else from the modules in dist/. SFMCP_NO_BUNDLE=1
 * forces the modules. Call prepareProcess() first: the code cache was made under its V8 flags.
 */
export async function loadServer(): Promise<ServerEntry> {
  if (!process.env.SFMCP_NO_BUNDLE) {
    let source: string | undefined;
    try {
      // ASCII (the build checks): latin1 makes the string without decoding UTF-8.
      source = readFileSync(BUNDLE, 'latin1');
    } catch {
      // not built: the modules below
    }
    if (source !== undefined) return runBundle(source);
  }
  startingUp();
  return import('./main.js');
}

/** How long start-up runs without V8's baseline compiler (see startingUp). */
const START_UP_MS = 2000;
let endStartUp: (() => void) | undefined;

/**
 * Start-up code runs once: compiling it again to baseline code (V8's Sparkplug, once a function has run a
 * few times) is wasted work, ~30 ms of a ~200 ms start here. So Sparkplug is off while the server starts, and
 * back on after START_UP_MS for the code that runs on every call. (SFMCP_FULL_JIT=1 leaves it on.)
 */
function startingUp(): void {
  if (process.env.SFMCP_FULL_JIT || endStartUp) return;
  setFlagsFromString('--no-sparkplug');
  let ended = false;
  endStartUp = () => {
    if (ended) return;
    ended = true;
    setFlagsFromString('--sparkplug');
  };
  setTimeout(endStartUp, START_UP_MS).unref();
}

/**
 * The bundle's source as node:vm compiles it: the CommonJS wrapper, plus the import() that code compiled by
 * node:vm lacks (see runBundle). @internal: the build checks its code cache against exactly this.
 */
export function wrapBundle(source: string): string {
  return `(function (exports, require, module, __filename, __dirname, __sfmcpImport) {${source}\n})`;
}

/**
 * The build id on the bundle's first line (`// sfmcp-bundle <id>`), which its code cache starts with too: V8
 * checks a cache against its source's length only, so a cache is used only beside the bundle it was made for.
 */
function buildIdOf(source: string): string | undefined {
  return /^\/\/ sfmcp-bundle ([0-9a-f]{16})\n/.exec(source.slice(0, 64))?.[1];
}

function runBundle(source: string): ServerEntry {
  const id = buildIdOf(source);
  let cachedData: Buffer | undefined;
  try {
    const cache = readFileSync(CACHE);
    if (id && cache.subarray(0, id.length).toString('latin1') === id) cachedData = cache.subarray(id.length);
  } catch {
    // no cache: V8 compiles as usual (a cache from another Node version is rejected the same way)
  }
  // The cache is checked against V8's flags as they are now (prepareProcess's): start-up's own come after.
  const script = new Script(wrapBundle(source), { filename: BUNDLE, cachedData });
  startingUp();
  const writeCache = process.env.SFMCP_WRITE_CODE_CACHE;
  if (writeCache && id) {
    // The build's warm-up run: the cache holds the bytecode of everything start-up ran, made under the
    // same flags as it is checked against (Sparkplug's switch is undone first).
    process.once('exit', () => {
      endStartUp?.();
      writeFileSync(writeCache, Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]));
    });
  }
  const module = { exports: {} as ServerEntry };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  // import() is this module's own, so a package (@salesforce/core) resolves from dist/ as it would from
  // the modules there.
  wrapper(
    module.exports,
    createRequire(BUNDLE),
    module,
    BUNDLE,
    dirname(BUNDLE),
    (specifier: string) => import(specifier),
  );
  return module.exports;
}
