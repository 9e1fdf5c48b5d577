import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestServer, createTestServer, makeDxProject } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/apex-antipatterns', import.meta.url));
const CLASSES = 'force-app/main/default/classes';

interface Finding {
  line: number;
  antipattern: string;
  method?: string;
  code: string;
  fix: string;
}

let server: TestServer;
let project: string;
let outside: string;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'sfmcp-antipatterns-'));
  outside = mkdtempSync(join(tmpdir(), 'sfmcp-antipatterns-outside-'));
  await makeDxProject(project);
  mkdirSync(join(project, CLASSES), { recursive: true });
  mkdirSync(join(project, 'force-app/main/default/triggers'), { recursive: true });
  for (const name of ['AccountAntipatterns.cls', 'CleanService.cls'])
    copyFileSync(join(FIXTURES, name), join(project, CLASSES, name));
  copyFileSync(
    join(FIXTURES, 'AccountTrigger.trigger'),
    join(project, 'force-app/main/default/triggers/AccountTrigger.trigger'),
  );
  writeFileSync(
    join(outside, 'Secret.cls'),
    'public class Secret { void run() { for (;;) { insert new Account(); } } }\n',
  );
  symlinkSync(join(outside, 'Secret.cls'), join(project, CLASSES, 'Linked.cls'));
  server = await createTestServer({ plugins: [plugin], args: ['--project-dir', project] });
});

afterAll(async () => {
  await server?.close();
  rmSync(project, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

async function scan(args: Record<string, unknown>) {
  const result = await server.call('scan_apex_class_for_antipatterns', args);
  return {
    ...result,
    findings: (result.structuredContent as { findings?: Finding[] } | undefined)?.findings ?? [],
  };
}

describe('scan_apex_class_for_antipatterns', () => {
  it('publishes every argument @salesforce/mcp accepts', async () => {
    const { tools } = await server.client.listTools();
    const tool = tools.find((entry) => entry.name === 'scan_apex_class_for_antipatterns');
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['className', 'apexFilePath', 'identifier', 'directory', 'usernameOrAlias']),
    );
    expect(tool?.annotations?.readOnlyHint).toBe(true);
  });

  it('finds each antipattern at its line, with a fix', async () => {
    const result = await scan({
      className: 'AccountAntipatterns',
      apexFilePath: `${CLASSES}/AccountAntipatterns.cls`,
      usernameOrAlias: 'not-needed@example.com',
    });
    expect(result.isError, result.text).toBeFalsy();
    const found = result.findings.map((item) => `${item.line} ${item.antipattern}`);
    expect(found).toEqual([
      '6 SOQL_IN_LOOP',
      '13 DML_IN_LOOP',
      '18 UNBOUNDED_QUERY',
      '25 NESTED_LOOP_OVER_QUERY',
      '36 SOQL_IN_LOOP', // through loadOwner(), called in the while loop
      '47 DYNAMIC_SOQL_IN_LOOP',
      '48 DESCRIBE_IN_LOOP',
      '49 SOSL_IN_LOOP',
      '54 NON_SELECTIVE_QUERY',
    ]);
    const viaHelper = result.findings.find((item) => item.line === 36);
    expect(viaHelper?.code).toBe('loadOwner(i)');
    expect(result.findings.every((item) => item.fix.length > 20)).toBe(true);
    // Children read from a subquery of the outer loop's rows are the right way: not a nested-loop finding.
    expect(result.findings.some((item) => item.method === 'childrenFromSubquery')).toBe(false);
    expect(result.text).toContain('line | antipattern | method | code | detail');
    expect(result.text).toMatch(
      /^6 \| SOQL_IN_LOOP \| soqlInLoop \| \[SELECT Id FROM Contact WHERE AccountId = :a\.Id\]/m,
    );
    expect(result.text).toContain('- DML_IN_LOOP: Add the records to a List');
    expect(result.structuredContent).toMatchObject({
      identifier: 'AccountAntipatterns',
      className: 'AccountAntipatterns',
    });
  });

  it('a clean class has none', async () => {
    const result = await scan({
      className: 'CleanService',
      apexFilePath: join(project, CLASSES, 'CleanService.cls'),
      identifier: 'scan-1',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.findings).toEqual([]);
    expect(result.text).toContain('no antipatterns found in CleanService');
    expect(result.structuredContent).toMatchObject({ identifier: 'scan-1' });
  });

  it('reads triggers too', async () => {
    const result = await scan({
      className: 'AccountTrigger',
      apexFilePath: 'force-app/main/default/triggers/AccountTrigger.trigger',
    });
    expect(result.findings.map((item) => `${item.line} ${item.antipattern}`)).toEqual(['3 DML_IN_LOOP']);
  });

  it('says so when the file declares another class', async () => {
    const result = await scan({ className: 'Nope', apexFilePath: `${CLASSES}/CleanService.cls` });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('declares no class Nope (it declares CleanService)');
  });

  it('refuses files outside the project: .., an absolute path, a symlink out', async () => {
    for (const apexFilePath of [
      '../outside/Secret.cls',
      join(outside, 'Secret.cls'),
      `${CLASSES}/Linked.cls`,
    ]) {
      const result = await scan({ className: 'Secret', apexFilePath });
      expect(result.isError, apexFilePath).toBe(true);
      expect(result.text).toMatch(/outside the project/);
      expect(result.text).not.toContain('insert new Account');
    }
  });
});
