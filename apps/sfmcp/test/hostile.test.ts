// Hostile input, every tool: each tool in tools/list is called with arguments generated from its
// published input schema, then mutated the way a hostile or confused caller would (wrong types, missing
// and extra fields, huge strings, lone surrogates, NUL bytes, path traversal, planted symlinks, SOQL and
// SOSL injection, shell metacharacters, forged and foreign cursors and confirmation tokens, malformed
// _meta). Whatever the arguments, every call gets an answer within a bound: a result or a readable
// error, with no stack trace and no token; no query the org receives carries injected SOQL; nothing is
// written outside the project and the temporary folders; HOME is untouched; the server answers after.
//
// A fixed seed and SFMCP_FUZZ_RUNS calls (default 5000); a longer run: SFMCP_FUZZ_RUNS=50000
// (SFMCP_FUZZ_SEED for another seed). The run prints how many calls it made and what it found.
import {
  rmSync,
  appendFileSync,
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Plugin } from '@sfmcp/plugin-api';
import { type ObservedQuery, demoSeed } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer, makeDxProject } from '@sfmcp/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUNS = Number(process.env.SFMCP_FUZZ_RUNS ?? 5000);
const SEED = Number(process.env.SFMCP_FUZZ_SEED ?? 20261202);
/** Calls with a client that approves every confirmation: the writes run (a fifth of RUNS). */
const APPROVED_RUNS = Math.max(1, Math.round(RUNS / 5));
/** Far beyond any call's own timeout (--org-timeout 10): only a hang gets here. */
const CALL_BOUND_MS = 60_000;
/** Arguments that are a query by contract: what the caller writes there is the query the org runs. */
const QUERY_ARGUMENTS = new Set(['query', 'sosl']);
/** Appears outside a string literal of a received query only if a value was pasted into SOQL unescaped. */
const MARKER = 'sfmcpinjected';

type Schema = Record<string, unknown>;
type Args = Record<string, unknown>;

interface Harvested {
  value: string;
  tool: string;
}

let server: LocalOrgTestServer;
let base: string;
let project: string;
let outside: string;
let browserLog: string;
let hostileStrings: string[] = [];
const cursors: Harvested[] = [];
const tokens: Harvested[] = [];
const queries: (ObservedQuery & { tool: string; args: Args })[] = [];
/** What one attack counted: its summary line. */
function noFindings() {
  return {
    calls: 0,
    errors: 0,
    results: 0,
    jsonRpcErrors: 0,
    tools: new Set<string>(),
    foreignCursorsRefused: 0,
    queriesChecked: 0,
    malformedMeta: 0,
  };
}
const findings = noFindings();
let current: { tool: string; args: Args } = { tool: '(set-up)', args: {} };

/** Names, sizes and modification times of everything under a folder (links as links, never followed). */
function snapshot(root: string, skip: (path: string) => boolean = () => false): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (skip(path)) continue;
      const stat = lstatSync(path);
      found.push(`${relative(root, path)} ${entry.isDirectory() ? 'dir' : stat.size} ${stat.mtimeMs}`);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return found.sort();
}

/** A received query with its literals (and SOSL's search term) taken out: what is left is SOQL syntax. */
function syntaxOf(query: ObservedQuery): string {
  let text = query.text.replace(/'(?:[^'\\]|\\.)*'/gs, "''");
  if (query.language === 'sosl') text = text.replace(/\{(?:[^{}\\]|\\.)*\}/s, '{}');
  return text;
}

/** True when the marker in a received query came from an argument that is a query by contract. */
function fromQueryArgument(args: Args): boolean {
  return Object.entries(args).some(
    ([key, value]) => QUERY_ARGUMENTS.has(key) && typeof value === 'string' && value.includes(MARKER),
  );
}

/** The org's own secrets (a token-shaped string the caller sent may be echoed back: that is not a leak). */
function isToken(text: string): boolean {
  return text.includes(server.org.accessToken) || text.includes(server.org.oauth.refreshToken);
}

/** Cursors and confirmation tokens a result handed out: replayed later, to other tools and tampered. */
function harvest(tool: string, text: string, structured: unknown): void {
  const visit = (value: unknown, key = '') => {
    if (typeof value === 'string') {
      if (/cursor/i.test(key) && value) cursors.push({ value, tool });
      if (key === 'confirmationToken') tokens.push({ value, tool });
    } else if (value && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value)) visit(child, childKey);
    }
  };
  visit(structured);
  for (const match of text.matchAll(/confirmationToken: "([^"]+)"/g)) tokens.push({ value: match[1]!, tool });
}

function fromPool(pool: Harvested[]): fc.Arbitrary<string> {
  return fc.tuple(fc.nat(), fc.constantFrom('as-is', 'flip', 'truncate', 'append')).map(([index, how]) => {
    const picked = pool[index % Math.max(1, pool.length)]?.value ?? 'no-such-cursor';
    switch (how) {
      case 'flip':
        return `${picked.slice(0, -2)}${picked.endsWith('A') ? 'B' : 'A'}${picked.slice(-1)}`;
      case 'truncate':
        return picked.slice(0, Math.floor(picked.length / 2));
      case 'append':
        return `${picked}.x`;
      default:
        return picked;
    }
  });
}

function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...hostileStrings) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(null, -1, 0, 0.5, 1e308, -1e308, true, [], {}, { a: { b: [1, 'x'] } }),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fromPool(cursors) },
    { weight: 1, arbitrary: fromPool(tokens) },
  );
}

const PLAUSIBLE = [
  'Account',
  'Contact',
  'Name',
  'local-test',
  'force-app',
  'ApexClass',
  'CustomObject',
  'System Administrator',
  '001000000000001AAA',
  'SELECT Id, Name FROM Account LIMIT 5',
];

function stringsWithin(schema: Schema): fc.Arbitrary<string> {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 100_000;
  const fits = (value: string) => value.length >= min && value.length <= max;
  const hostile = hostileStrings.filter(fits);
  const plausible = PLAUSIBLE.filter(fits);
  return fc.oneof(
    { weight: 3, arbitrary: hostile.length ? fc.constantFrom(...hostile) : fc.constant('x'.repeat(min)) },
    { weight: 2, arbitrary: plausible.length ? fc.constantFrom(...plausible) : fc.constant('x'.repeat(min)) },
    { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 40) }) },
  );
}

/**
 * A value for a JSON schema node. Typed: of the schema's type and within its bounds, so that it gets
 * past validation to the tool, its strings hostile often (traversal, injection, metacharacters). Untyped:
 * anything at all.
 */
function valueFor(
  schema: Schema | undefined,
  key: string,
  depth: number,
  typed: boolean,
): fc.Arbitrary<unknown> {
  const hostile = hostileValue();
  if (!schema || depth > 4) return hostile;
  const either = (arbitrary: fc.Arbitrary<unknown>) => (typed ? arbitrary : fc.oneof(arbitrary, hostile));
  if (/cursor/i.test(key)) return either(fromPool(cursors));
  if (key === 'confirmationToken') return either(fromPool(tokens));
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches?.length) return fc.oneof(...branches.map((branch) => valueFor(branch, key, depth + 1, typed)));
  if (Array.isArray(schema.enum)) return either(fc.constantFrom(...(schema.enum as unknown[])));
  const number = (fallbackMin: number, fallbackMax: number) => ({
    min: typeof schema.minimum === 'number' ? schema.minimum : fallbackMin,
    max: typeof schema.maximum === 'number' ? schema.maximum : fallbackMax,
  });
  const type = [schema.type].flat()[0];
  switch (type) {
    case 'string':
      return either(stringsWithin(schema));
    case 'integer':
      return either(fc.integer(number(-5, 5_000)));
    case 'number': {
      const { min, max } = number(-1e6, 1e6);
      return either(fc.double({ min, max, noNaN: true }));
    }
    case 'boolean':
      return either(fc.boolean());
    case 'array': {
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 4, 4);
      return either(
        fc.array(valueFor(schema.items as Schema, key, depth + 1, typed), {
          minLength: Math.min(minLength, maxLength),
          maxLength,
        }),
      );
    }
    case 'object':
      return objectFor(schema, typed, depth + 1);
    default:
      return hostile;
  }
}

/** Arguments for an input schema. Typed: its required properties and some others; untyped: some of them, and extra ones. */
function objectFor(schema: Schema, typed: boolean, depth = 0): fc.Arbitrary<Args> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const entries = Object.keys(properties).map((key) => {
    const value = valueFor(properties[key], key, depth, typed);
    const kept = typed && required.has(key) ? value : fc.option(value, { nil: undefined, freq: 2 });
    return kept.map((picked) => [key, picked] as const);
  });
  const extras = fc.dictionary(
    fc.constantFrom('extra', '__proto__', 'constructor', 'x'.repeat(300), '', '\u0000'),
    hostileValue(),
    { minKeys: 1, maxKeys: 2 },
  );
  const maybeExtras = typed
    ? fc.constant(undefined)
    : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: extras });
  return fc.tuple(fc.tuple(...entries), maybeExtras).map(([pairs, extra]) => {
    const result: Args = {};
    for (const [key, value] of pairs) if (value !== undefined) result[key] = value;
    // Own properties, as JSON.parse makes them: "__proto__" is a key like any other on the wire.
    for (const [key, value] of Object.entries(extra ?? {})) {
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return result;
  });
}

/** Arguments for a tool: mostly well-typed (hostile values that reach the tool), else one wrong value, else chaos. */
function argumentsFor(schema: Schema): fc.Arbitrary<Args> {
  const keys = Object.keys((schema.properties ?? {}) as Record<string, unknown>);
  const oneWrong = fc
    .tuple(objectFor(schema, true), fc.constantFrom(...(keys.length ? keys : ['extra'])), hostileValue())
    .map(([args, key, value]) => ({ ...args, [key]: value }));
  return fc.oneof(
    { weight: 6, arbitrary: objectFor(schema, true) },
    { weight: 2, arbitrary: oneWrong },
    { weight: 2, arbitrary: objectFor(schema, false) },
  );
}

/** _meta as a confused client might send it; undefined most of the time. */
const malformedMeta = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      'not an object',
      [],
      { progressToken: { nested: true } },
      { progressToken: null },
      { progressToken: 'x'.repeat(20_000) },
      { ['x'.repeat(5_000)]: 1 },
      { 'io.sfmcp/hostile': '\u0000\ud800' },
    ),
  },
);

/** Every toolset sfmcp ships (its @sfmcp/* dependencies that export a plugin): a new one is attacked the day it lands. */
async function shippedPlugins(): Promise<Plugin[]> {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const plugins: Plugin[] = [];
  for (const name of Object.keys(manifest.dependencies).filter((dependency) =>
    dependency.startsWith('@sfmcp/'),
  )) {
    const loaded = (await import(name)) as { default?: Partial<Plugin> };
    if (typeof loaded.default?.toolset === 'string' && Array.isArray(loaded.default.tools)) {
      plugins.push(loaded.default as Plugin);
    }
  }
  return plugins;
}

/**
 * A server on a fresh local org with every shipped toolset, and the cursors and tokens it hands out to start
 * from. `approving`: the client approves every confirmation (elicitation), so the writes really run with
 * the hostile values, in the org and in the project.
 */
async function startServer(approving: boolean): Promise<LocalOrgTestServer> {
  const started = await createLocalOrgTestServer({
    plugins: await shippedPlugins(),
    seed: demoSeed(),
    args: ['--project-dir', project, '--allow-non-ga-tools', '--org-timeout', '10'],
    ...(approving ? { onElicit: () => ({ action: 'accept' as const, content: { confirm: true } }) } : {}),
  });
  started.org.onQuery((query) => queries.push({ ...query, ...current }));
  cursors.length = 0;
  tokens.length = 0;
  // Genuine cursors (and, without elicitation, confirmation tokens) to start from, so that foreign and
  // tampered ones are tried.
  for (const [tool, args] of [
    ['list_objects', { limit: 1 }],
    ['run_soql_query', { query: 'SELECT Id, Name FROM Account', maxRows: 1 }],
    ['list_users', { limit: 1 }],
    ['list_metadata_components', { types: ['CustomObject'] }],
    ['delete_records', { sobject: 'Account', ids: ['001000000000001AAA'] }],
    ['execute_anonymous_apex', { apexCode: 'System.debug(1);' }],
  ] as const) {
    const result = await started.call(tool, args);
    harvest(tool, result.text, result.structuredContent);
  }
  expect(cursors.length, 'the set-up calls hand out cursors').toBeGreaterThan(0);
  if (!approving) expect(tokens.length, 'the set-up calls hand out confirmation tokens').toBeGreaterThan(0);
  return started;
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'sfmcp-hostile-'));
  // Three levels deep, so that ../, ../../ and ../../../ from the project still land inside `base`.
  project = join(base, 'a', 'b', 'project');
  outside = join(base, 'outside');
  mkdirSync(join(outside, 'classes'), { recursive: true });
  mkdirSync(join(outside, 'manifest'), { recursive: true });
  writeFileSync(join(outside, 'classes', 'Keep.cls'), 'public class Keep {}\n');
  await makeDxProject(project);
  // Links planted in the project, pointing out of it: no tool may write through them.
  symlinkSync(outside, join(project, 'linked'));
  symlinkSync(join(outside, 'dangling.csv'), join(project, 'dangling.csv'));
  symlinkSync(join(outside, 'manifest'), join(project, 'manifest'));
  symlinkSync(join(outside, 'classes'), join(project, 'force-app', 'main', 'default', 'classes'));
  // open_org with openBrowser launches $BROWSER: a recorder, so that a value reaching the process is seen.
  browserLog = join(base, 'browser.log');
  const recorder = join(base, 'browser.sh');
  writeFileSync(recorder, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> '${browserLog}'; done\n`);
  chmodSync(recorder, 0o755);
  process.env.DISPLAY = ':sfmcp-hostile';
  process.env.BROWSER = recorder;

  const pwned = join(outside, 'pwned');
  hostileStrings = [
    '',
    ' ',
    '\u0000',
    'Account\u0000',
    '\ud800',
    '\udfff x',
    '\u202eAccount',
    '😀'.repeat(40),
    'x'.repeat(300),
    'x'.repeat(70_000),
    '../../outside/escape.txt',
    '../../../outside/escape.csv',
    '../../../../escape.txt',
    join(outside, 'absolute.txt'),
    '/etc/passwd',
    '..%2F..%2F..%2Foutside%2Fencoded.txt',
    'force-app/../../../outside/dotdot.xml',
    'linked/through-link.txt',
    'linked',
    'dangling.csv',
    'manifest/package.xml',
    'force-app/main/default/classes',
    'file:///etc/passwd',
    'http://127.0.0.1:1/steal',
    '//evil.example.com/x',
    `x' OR ${MARKER}__c = 'y`,
    `x\\' OR ${MARKER}__c = 'y`,
    `Name FROM Account WHERE ${MARKER}__c = 1 OR Name`,
    `Id) OR (${MARKER}__c = 1`,
    `Account WHERE ${MARKER}__c != null`,
    `x} RETURNING Account(Id WHERE ${MARKER}__c = 1) FIND {y`,
    `x OR ${MARKER}*`,
    `%' OR ${MARKER}__c LIKE '%`,
    `$(touch ${pwned})`,
    `\`touch ${pwned}\``,
    `; touch ${pwned}`,
    `| touch ${pwned}`,
    `&& touch ${pwned} #`,
    `' ; touch ${pwned} ; '`,
    'c1.forged.cursor',
    'eyJsIjoiaHR0cDovLzEyNy4wLjAuMToxL3N0ZWFsIiwicyI6MCwibiI6MH0',
    '00D000000000001!AQ4AQFakeTokenValueThatLooksReal',
    'cft_forged',
    '001000000000001AAA',
    '005xxxxxxxxxxxxAAA',
    '0Af000000000001AAA',
    '707000000000001AAA',
    'SELECT Id FROM User',
    'FIND {admin} RETURNING User(Id, Username)',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    '{"__proto__": {"polluted": true}}',
    'ALLOW_ALL_ORGS',
    'production@example.com',
  ];

  server = await startServer(false);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

const failures: string[] = [];

/** The attack on `server`: `runs` generated calls from `seed`, each checked, then the state around it. */
async function attack(runs: number, seed: number, label: string): Promise<void> {
  Object.assign(findings, noFindings());
  failures.length = 0;
  try {
    await attackOnce(runs, seed);
  } finally {
    process.stderr.write(
      `hostile-input run, ${label} (seed ${seed}): ${findings.calls} calls over ${findings.tools.size} tools — ` +
        `${findings.results} results, ${findings.errors} readable errors, ${findings.jsonRpcErrors} protocol errors; ` +
        `${findings.foreignCursorsRefused} foreign or tampered cursors refused; ${findings.queriesChecked} received queries checked for injection; ` +
        `${findings.malformedMeta} calls with malformed _meta; found: ${failures.length ? failures.join('; ') : 'nothing'}\n`,
    );
  }
}

async function attackOnce(runs: number, seed: number): Promise<void> {
  // Launches are checked against this server's org: the previous attack's are not this one's.
  rmSync(browserLog, { force: true });
  const { tools } = await server.client.listTools();
  expect(tools.length).toBeGreaterThan(30);
  process.stderr.write(`hostile-input run: the tools: ${tools.map((tool) => tool.name).join(' ')}\n`);
  const realHome = userInfo().homedir;
  const realHomeBefore = [join(realHome, '.sf'), join(realHome, '.sfdx')].map((dir) => snapshot(dir));
  const home = homedir();
  expect(home).not.toBe(realHome);
  const homeBefore = [join(home, '.sf'), join(home, '.sfdx')].map((dir) => snapshot(dir));
  const outsideBefore = snapshot(base, (path) => path === project || path === browserLog);

  const call = fc.nat({ max: tools.length * 1000 }).chain((index) => {
    const tool = tools[index % tools.length]!;
    return fc.tuple(fc.constant(tool.name), argumentsFor(tool.inputSchema as Schema), malformedMeta);
  });

  await fc.assert(
    fc.asyncProperty(call, async ([tool, args, meta]) => {
      current = { tool, args };
      const before = queries.length;
      // A cursor this tool did not hand out (another tool's, a tampered or a made-up one) must be refused.
      const cursorValues = Object.entries(args)
        .filter(([key, value]) => /cursor/i.test(key) && typeof value === 'string' && value.trim() !== '')
        .map(([, value]) => value as string);
      const notOurs = cursorValues.filter(
        (value) => !cursors.some((harvested) => harvested.value === value && harvested.tool === tool),
      );
      let text: string;
      let isError: boolean;
      let structured: unknown;
      const started = Date.now();
      try {
        const result = await server.client.request(
          {
            method: 'tools/call',
            // As it would arrive over stdio or HTTP: JSON (the in-memory transport passes objects as they are).
            params: JSON.parse(
              JSON.stringify({
                name: tool,
                arguments: args,
                ...(meta === undefined ? {} : { _meta: meta }),
              }),
            ) as { name: string },
          },
          CallToolResultSchema,
          { timeout: CALL_BOUND_MS },
        );
        text = result.content.map((part) => ('text' in part ? part.text : `[${part.type}]`)).join('\n');
        isError = result.isError === true;
        structured = result.structuredContent;
        if (isError) findings.errors += 1;
        else findings.results += 1;
      } catch (error) {
        // A JSON-RPC error is an answer too (arguments that are not an object, a refused _meta).
        text = (error as Error).message;
        isError = true;
        findings.jsonRpcErrors += 1;
      }
      findings.calls += 1;
      findings.tools.add(tool);
      if (meta !== undefined) findings.malformedMeta += 1;
      const what = `${tool} ${JSON.stringify(args).slice(0, 400)}${meta === undefined ? '' : ` _meta ${JSON.stringify(meta).slice(0, 100)}`}`;
      const fail = (why: string) => {
        failures.push(`${why}: ${what}`);
        return false;
      };

      if (Date.now() - started >= CALL_BOUND_MS) return fail('no answer in time');
      if (!text.trim()) return fail('an empty answer');
      if (/\n\s+at .+:\d+:\d+\)?/.test(text)) return fail(`a stack trace: ${text.slice(0, 300)}`);
      if (isToken(text) || isToken(JSON.stringify(structured ?? {}))) return fail('a token in the answer');
      if (text.startsWith(`${tool} failed: `))
        return fail(`an unexpected error in the tool: ${text.slice(0, 300)}`);
      if (isError) {
        // A line of what went wrong (a query error may point at the place, and a hint follows): never pages of it.
        const lines = text.split('\n');
        if (lines.length > 6 || lines[0]!.length > 600 || text.length > 2_500) {
          return fail(`an unreadable error (${lines.length} lines): ${text.slice(0, 300)}`);
        }
        if (/\[object Object\]|\bundefined\b.*\bundefined\b|TypeError|ReferenceError/.test(text)) {
          return fail(`an internal error: ${text.slice(0, 300)}`);
        }
      }
      if (notOurs.length) {
        if (!isError) return fail(`a cursor it did not hand out was accepted: ${notOurs[0]!.slice(0, 60)}`);
        findings.foreignCursorsRefused += 1;
      }
      for (const query of queries.slice(before)) {
        findings.queriesChecked += 1;
        if (syntaxOf(query).includes(MARKER) && !fromQueryArgument(args)) {
          return fail(`SOQL injection: the org received ${JSON.stringify(query.text.slice(0, 300))}`);
        }
      }
      if (!isError) harvest(tool, text, structured);
      if (process.env.SFMCP_FUZZ_LOG) {
        appendFileSync(
          process.env.SFMCP_FUZZ_LOG,
          `${isError ? 'ERR' : 'OK '} ${tool} ${text.split('\n')[0]!.slice(0, 160)}\n`,
        );
      }
      return true;
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );

  expect(failures).toEqual([]);
  expect(
    snapshot(base, (path) => path === project || path === browserLog),
    'nothing written outside the project',
  ).toEqual(outsideBefore);
  expect(
    [join(realHome, '.sf'), join(realHome, '.sfdx')].map((dir) => snapshot(dir)),
    "the user's HOME",
  ).toEqual(realHomeBefore);
  // The sf CLI's own config is set_default_org's to write (scope global), and only to name the allowed org.
  const sfConfig = (path: string) => /^(config\.json|sfdx-config\.json) /.test(path);
  expect(
    [join(home, '.sf'), join(home, '.sfdx')].map((dir) => snapshot(dir).filter((path) => !sfConfig(path))),
    'the temporary HOME: auth files and keys unchanged',
  ).toEqual(homeBefore.map((entries) => entries.filter((path) => !sfConfig(path))));
  for (const file of [join(home, '.sf', 'config.json'), join(home, '.sfdx', 'sfdx-config.json')]) {
    let config: Record<string, unknown> = {};
    try {
      config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      continue;
    }
    for (const value of Object.values(config)) expect([server.alias, server.org.username]).toContain(value);
  }
  let launches: string[] = [];
  try {
    launches = readFileSync(browserLog, 'utf8').split('\n').filter(Boolean);
  } catch {
    // No call opened a browser.
  }
  for (const launch of launches) expect(launch.startsWith(`${server.org.instanceUrl}/`), launch).toBe(true);

  current = { tool: '(after)', args: {} };
  const after = await server.call('run_soql_query', { query: 'SELECT Id FROM Account LIMIT 1' });
  expect(after.isError, after.text).toBeFalsy();
}

describe('hostile input to every tool', () => {
  it(
    `answers ${RUNS} generated calls with a result or a readable error, and writes nothing outside`,
    () => attack(RUNS, SEED, 'previews'),
    900_000,
  );
});

describe('hostile input to every tool, every confirmation approved', () => {
  beforeAll(async () => {
    await server.close();
    server = await startServer(true);
  }, 120_000);

  it(
    `answers ${APPROVED_RUNS} generated calls whose writes run, and writes nothing outside`,
    () => attack(APPROVED_RUNS, SEED + 1, 'every confirmation approved'),
    900_000,
  );
});
