#!/usr/bin/env node
// Bundles the compiled server (dist/**, after tsc) with what it imports at start-up (the MCP SDK, zod,
// @sfmcp/plugin-api) into one CommonJS file, dist/sfmcp-server.cjs, and warms a V8 code cache for it,
// dist/sfmcp-server.cjs.cache, from a real start (initialize, tools/list). dist/startup.js loads the two
// (see loadServer there): one file to read instead of ~300 modules to resolve, and bytecode for everything
// start-up runs instead of compiling it again on every start.
//
// What stays out of the bundle is loaded from node_modules when first used, as before: @salesforce/core,
// the local org, and every plugin (each with its own copy of @sfmcp/plugin-api and zod: errors are
// recognised by a Symbol.for brand and zod schemas by their traits, so the copies interoperate).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, '..');
const dist = join(pkgDir, 'dist');
const outfile = join(dist, 'sfmcp-server.cjs');
const cacheFile = `${outfile}.cache`;
const readable = process.argv.includes('--readable');
const buildId = randomBytes(8).toString('hex');
const requireFromServer = createRequire(join(pkgDir, 'package.json'));

/**
 * A dynamic import() of something outside the bundle (a plugin, the local org, @salesforce/core) calls
 * the loader's import instead (a parameter of the module wrapper, see dist/startup.js): code compiled
 * with node:vm has no import() of its own. Relative imports ('./transports/http.js') stay in the bundle,
 * evaluated only when first imported.
 */
const outsideImports = {
  name: 'outside-imports',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
      if (/[\\/]node_modules[\\/]/.test(relative(pkgDir, args.path)) && !args.path.includes('plugin-api'))
        return undefined;
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(/\bimport\((?!\s*['"]\.)/g, '__sfmcpImport(');
      return { contents, loader: 'js' };
    });
  },
};

/**
 * Start-up must not pay for what it does not use:
 * - zod's ~40 locales (400 KB): only English is configured; plugins use their own zod.
 * - ajv: the SDK's Server builds an Ajv instance in its constructor, used only to check elicitation
 *   answers; the shim loads the SDK's validator (and ajv) from node_modules and builds it on first use.
 */
const trimmed = {
  name: 'trimmed',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /zod[\\/]v4[\\/]classic$/.test(args.resolveDir)
        ? { path: join(args.resolveDir, '../locales/en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
    pluginBuild.onResolve({ filter: /validation\/ajv-provider\.js$/ }, (args) =>
      args.namespace === 'file' && /sdk[\\/]dist[\\/]esm[\\/]server$/.test(args.resolveDir)
        ? { path: join(args.resolveDir, args.path), namespace: 'lazy-ajv' }
        : undefined,
    );
    // Not bundled at all (ajv is ~200 KB): the SDK's own CommonJS copy, from node_modules, on first use.
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-ajv' }, () => ({
      contents: `
        let Real;
        export class AjvJsonSchemaValidator {
          #ajv; #real;
          constructor(ajv) { this.#ajv = ajv; }
          getValidator(schema) {
            Real ??= require('@modelcontextprotocol/sdk/validation/ajv').AjvJsonSchemaValidator;
            this.#real ??= new Real(this.#ajv);
            return this.#real.getValidator(schema);
          }
        }`,
      loader: 'js',
    }));
  },
};

/**
 * The SDK's types.js builds ~170 zod schemas when imported; the server uses a few dozen. Each top-level
 * `const XSchema = <expression>;` becomes `const XSchema = /* @__PURE__ *\/ (() => <expression>)();`, the
 * same value built at the same point, which the bundler may drop when nothing uses it.
 */
function pureTopLevelSchemas(source) {
  const lines = source.split('\n');
  const out = [];
  let open; // the statement being wrapped: its lines so far
  const flush = () => {
    if (!open) return;
    const text = open.join('\n');
    const match = /^((?:export )?const (\w+Schema) = )([\s\S]*);\s*$/.exec(text);
    out.push(match ? `${match[1]}/* @__PURE__ */ (() => ${match[3]})();` : text);
    open = undefined;
  };
  for (const line of lines) {
    // A top-level statement starts at column 0 (tsc's layout); a line closing a bracket continues one.
    const startsStatement = /^[A-Za-z/(]/.test(line);
    if (startsStatement) flush();
    if (/^(?:export )?const \w+Schema = /.test(line)) open = [line];
    else if (open && !startsStatement) open.push(line);
    else {
      flush();
      out.push(line);
    }
    if (open && /;\s*$/.test(line) && balanced(open.join('\n'))) flush();
  }
  flush();
  return out.join('\n');
}

/** Whether brackets balance in a statement (strings and regexes in the SDK's schemas hold none unbalanced). */
function balanced(text) {
  let depth = 0;
  for (const char of text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, ''))
    if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
  return depth === 0;
}

const pureSchemas = {
  name: 'pure-schemas',
  setup(pluginBuild) {
    pluginBuild.onLoad(
      { filter: /@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]esm[\\/]types\.js$/ },
      (args) => ({
        contents: pureTopLevelSchemas(readFileSync(args.path, 'utf8')),
        loader: 'js',
      }),
    );
  },
};

/**
 * @sfmcp/plugin-api and the server reach zod through one namespace, `z`, which would keep every part of zod
 * (and build it at start-up). In the bundle that `z` holds just the members they use (found in their
 * compiled code, which may use `z` only as `z.member`), so the rest of zod can be left out. Plugins use
 * their own, whole zod.
 */
const zodMembers = {
  name: 'zod-members',
  setup(pluginBuild) {
    const users = [join(dist), dirname(requireFromServer.resolve('@sfmcp/plugin-api'))];
    const members = new Set();
    for (const dir of users)
      for (const file of readdirSync(dir, { recursive: true }))
        if (String(file).endsWith('.js')) {
          const source = readFileSync(join(dir, String(file)), 'utf8');
          if (!/^(?:import|export) \{[^}]*\bz\b[^}]*\} from '(?:zod|@sfmcp\/plugin-api)';$/m.test(source))
            continue;
          const code = source
            .replace(/^\s*\/\/.*$/gm, '')
            .replace(/^(import|export) \{[^}]*\} from '[^']+';$/gm, '');
          for (const [, member] of code.matchAll(/(?<![\w$.])z\s*\.\s*([A-Za-z_$][\w$]*)/g))
            members.add(member);
          // z passed or assigned as a value: `f(z)`, `= z;`, `[z, ...]`, `return z`, `{ z }`.
          const other = code.match(/.{0,40}(?:[(,=[:{]|\breturn|\.\.\.)\s*z(?![\w$])(?!\s*[.:]).{0,40}/);
          if (other) throw new Error(`${join(dir, String(file))} uses z other than as z.member: ${other[0]}`);
        }
    pluginBuild.onResolve({ filter: /^zod$/ }, (args) =>
      args.namespace === 'file' &&
      (/plugin-api[\\/]dist$/.test(args.resolveDir) || !relative(dist, args.resolveDir).startsWith('..'))
        ? { path: 'z', namespace: 'zod-members', pluginData: args.resolveDir }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-members' }, (args) => {
      const names = [...members].sort();
      // Aliased: a member may be a reserved word (z.enum), which cannot be imported by its own name.
      const aliases = names.map((name, index) => `${name} as m${index}`).join(', ');
      const entries = names.map((name, index) => `${name}: m${index}`).join(', ');
      return {
        contents: `import { ${aliases} } from 'zod';\nexport const z = Object.freeze({ ${entries} });`,
        resolveDir: args.pluginData,
        loader: 'js',
      };
    });
  },
};

const result = await build({
  entryPoints: [join(dist, 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // Loaded later from node_modules, never at start-up.
  external: ['@salesforce/core', '@sfmcp/local-org', '@modelcontextprotocol/sdk/validation/ajv'],
  // import.meta of every bundled module is the bundle's own (it sits in dist/, where they were).
  define: { 'import.meta': '__sfmcpMeta' },
  banner: {
    js: [
      // Ties the code cache to this bundle (see buildIdOf in src/startup.ts).
      `// sfmcp-bundle ${buildId}`,
      '"use strict";',
      'var __sfmcpMeta = { url: require("node:url").pathToFileURL(__filename).href, filename: __filename, dirname: __dirname,',
      '  resolve: (specifier) => require("node:url").pathToFileURL(require.resolve(specifier)).href };',
    ].join('\n'),
  },
  plugins: [outsideImports, trimmed, pureSchemas, zodMembers],
  // Smaller to read, hash and parse; names are kept (error names, stack traces). --readable (to profile
  // start-up by module) keeps the layout and the // path comments.
  minifyWhitespace: !readable,
  minifySyntax: !readable,
  charset: 'ascii',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

const bundled = readFileSync(outfile, 'latin1');
// The loader reads the bundle as latin1 (one byte per character, no UTF-8 decoding): it must be ASCII.
if (!readable && /[\u0080-\uffff]/.test(bundled)) throw new Error(`${outfile} is not ASCII`);
const stray = bundled
  .split('\n')
  .filter((line) => /\bimport\(/.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line))
  .flatMap((line) => line.match(/.{0,60}\bimport\(.{0,60}/g));
if (stray.length)
  throw new Error(`${outfile} still has import() calls the loader cannot serve:\n${stray.join('\n')}`);
for (const heavy of ['@salesforce/core/lib', 'jsforce', '@sfmcp/local-org/dist', 'ajv/dist'])
  if (Object.keys(result.metafile.inputs).some((input) => input.includes(heavy)))
    throw new Error(`${heavy} must stay out of the bundle: it loads on first use`);

// The code cache: a real start-up (initialize, tools/list) in a throwaway HOME, written when the server exits.
rmSync(cacheFile, { force: true });
const home = mkdtempSync(join(tmpdir(), 'sfmcp-warm-'));
try {
  mkdirSync(join(home, '.sf'));
  writeFileSync(join(home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'warm@example.com' }));
  await warm(home);
} finally {
  rmSync(home, { recursive: true, force: true });
}
// The cache must be one a start accepts: made under prepareProcess()'s V8 flags, as loadServer() checks it.
if (!process.env.SFMCP_FULL_JIT) setFlagsFromString('--no-opt');
const { wrapBundle } = await import(pathToFileURL(join(dist, 'startup.js')).href);
const cache = readFileSync(cacheFile);
if (cache.subarray(0, buildId.length).toString('latin1') !== buildId)
  throw new Error(`${cacheFile} was not made for this bundle`);
const check = new Script(wrapBundle(bundled), {
  filename: outfile,
  cachedData: cache.subarray(buildId.length),
});
if (check.cachedDataRejected)
  throw new Error(`V8 rejects the code cache ${cacheFile} (were the flags changed?)`);
const kb = (file) => `${(statSync(file).size / 1024).toFixed(0)} KB`;
if (process.argv.includes('--sizes')) {
  const sizes = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const name = input
      .replace(/.*node_modules[\\/]/, '')
      .split('/')
      .slice(0, input.includes('node_modules/@') ? 2 : 1)
      .join('/');
    sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
  }
  for (const [name, bytes] of [...sizes].sort((a, b) => b[1] - a[1]))
    console.log(`${(bytes / 1024).toFixed(0).padStart(6)} KB  ${name}`);
}
console.log(`bundled ${relative(pkgDir, outfile)} (${kb(outfile)}), code cache ${kb(cacheFile)}`);

function warm(cwd) {
  const bin = join(pkgDir, 'bin', 'sfmcp-server.js');
  const args = [bin, '--orgs', 'DEFAULT_TARGET_ORG', '--toolsets', 'all', '--allow-non-ga-tools'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: {
        ...process.env,
        HOME: cwd,
        USERPROFILE: cwd,
        SF_DISABLE_LOG_FILE: 'true',
        SF_DISABLE_TELEMETRY: 'true',
        SFMCP_WRITE_CODE_CACHE: cacheFile,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let buffer = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const send = (message) => child.stdin.write(`${JSON.stringify(message)}\n`);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (let newline; (newline = buffer.indexOf('\n')) >= 0;) {
        const message = JSON.parse(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        if (message.id === 1) {
          send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
        } else if (message.id === 2) {
          if (!message.result?.tools?.length)
            reject(new Error(`tools/list failed: ${JSON.stringify(message)}`));
          child.stdin.end();
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      let written = false;
      try {
        written = statSync(cacheFile).size > 0;
      } catch {
        // not written
      }
      if (code === 0 && written) resolve();
      else reject(new Error(`warming the code cache failed (exit ${code})\n${stderr}`));
    });
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'sfmcp-build', version: '0' },
      },
    });
  });
}
