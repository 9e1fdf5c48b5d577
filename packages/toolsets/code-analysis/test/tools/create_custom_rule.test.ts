import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestServer, createTestServer, makeDxProject } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/lib/analyzer.js';
import plugin from '../../src/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/apex-antipatterns', import.meta.url));
const CLASSES = 'force-app/main/default/classes';

const CONFIG = `# Code Analyzer settings for this project: keep this comment
engines:
  # ESLint is not needed for these tests
  eslint:
    disable_engine: true # turned off on purpose
  retire-js:
    disable_engine: true
`;

const SOQL_IN_FOR_EACH =
  'public class Sample {\n  void run(List<Account> rows) {\n    for (Account a : rows) {\n      Contact c = [SELECT Id FROM Contact LIMIT 1];\n    }\n  }\n}\n';

let server: TestServer;
let project: string;

function files(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

/** The project's files and code-analyzer.yml, to show a refused call changed nothing. */
function snapshot() {
  return { files: files(project), config: readFileSync(join(project, 'code-analyzer.yml'), 'utf8') };
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'sfmcp-custom-rules-'));
  await makeDxProject(project);
  mkdirSync(join(project, CLASSES), { recursive: true });
  copyFileSync(join(FIXTURES, 'Violating.cls'), join(project, CLASSES, 'Violating.cls'));
  writeFileSync(join(project, 'code-analyzer.yml'), CONFIG);
  server = await createTestServer({
    plugins: [plugin],
    args: ['--project-dir', project, '--allow-non-ga-tools'],
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(project, { recursive: true, force: true });
});

describe('create_custom_rule', () => {
  it('publishes every argument @salesforce/mcp accepts', async () => {
    const { tools } = await server.client.listTools();
    const tool = tools.find((entry) => entry.name === 'create_custom_rule');
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining([
        'xpath',
        'ruleName',
        'description',
        'language',
        'engine',
        'priority',
        'workingDirectory',
      ]),
    );
    expect(tool?.annotations?.readOnlyHint ?? false).toBe(false);
    expect(tool?.annotations).toMatchObject({ destructiveHint: false, openWorldHint: false });
  });

  it('writes an XPath rule and a regex rule, keeping the comments, and both fire', async () => {
    const xpath = await server.call('create_custom_rule', {
      ruleName: 'NoSoqlInForEach',
      description: 'SOQL inside a for-each loop',
      language: 'apex',
      engine: 'pmd',
      priority: 2,
      workingDirectory: project,
      xpath: '//ForEachStatement//SoqlExpression',
      sampleCode: SOQL_IN_FOR_EACH,
    });
    expect(xpath.isError, xpath.text).toBeFalsy();
    expect(xpath.structuredContent).toMatchObject({
      status: 'success',
      engine: 'pmd',
      rulesetPath: 'custom-rules/no-soql-in-for-each-pmd-rules.xml',
      configPath: 'code-analyzer.yml',
      sampleMatches: [4],
    });
    const ruleset = readFileSync(join(project, 'custom-rules/no-soql-in-for-each-pmd-rules.xml'), 'utf8');
    expect(ruleset).toContain('<rule name="NoSoqlInForEach"');
    expect(ruleset).toContain('<![CDATA[//ForEachStatement//SoqlExpression]]>');

    const regex = await server.call('create_custom_rule', {
      ruleName: 'NoSystemDebug',
      description: 'System.debug left in code',
      engine: 'regex',
      language: 'apex',
      priority: 4,
      regex: '/System\\.debug\\(/gi',
      file_extensions: ['.cls'],
      violation_message: 'Remove System.debug before release.',
    });
    expect(regex.isError, regex.text).toBeFalsy();

    const config = readFileSync(join(project, 'code-analyzer.yml'), 'utf8');
    expect(config).toContain('# Code Analyzer settings for this project: keep this comment');
    expect(config).toContain('# ESLint is not needed for these tests');
    expect(config).toContain('disable_engine: true # turned off on purpose');
    expect(config).toMatch(/custom_rulesets:\n\s+- custom-rules\/no-soql-in-for-each-pmd-rules\.xml/);
    expect(config).toMatch(/NoSystemDebug:\n\s+regex: \/System\\\.debug\\\(\/gi/);

    // The rules fire: code-analyzer-core, with the project's config, on a file that breaks both.
    const { analyzer } = await createAnalyzer(project);
    const workspace = await analyzer.createWorkspace([join(project, CLASSES)]);
    const rules = await analyzer.selectRules(['pmd:NoSoqlInForEach', 'regex:NoSystemDebug'], { workspace });
    expect(rules.getEngineNames().sort()).toEqual(['pmd', 'regex']);
    expect(rules.getRulesFor('pmd').map((rule) => rule.getName())).toEqual(['NoSoqlInForEach']);
    expect(rules.getRulesFor('regex').map((rule) => rule.getName())).toEqual(['NoSystemDebug']);
    const results = await analyzer.run(rules, { workspace });
    const violations = results
      .getViolations()
      .map((violation) => ({
        rule: violation.getRule().getName(),
        line: violation.getPrimaryLocation().getStartLine(),
        file: relative(project, violation.getPrimaryLocation().getFile() ?? ''),
        message: violation.getMessage(),
      }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    expect(violations).toEqual([
      {
        rule: 'NoSoqlInForEach',
        line: 4,
        file: `${CLASSES}/Violating.cls`,
        message: 'SOQL inside a for-each loop',
      },
      {
        rule: 'NoSystemDebug',
        line: 5,
        file: `${CLASSES}/Violating.cls`,
        message: 'Remove System.debug before release.',
      },
    ]);
  });

  it('refuses the same rule again, and changes nothing', async () => {
    const before = snapshot();
    const pmd = await server.call('create_custom_rule', {
      ruleName: 'NoSoqlInForEach',
      description: 'again',
      language: 'apex',
      engine: 'pmd',
      priority: 3,
      workingDirectory: '.',
      xpath: '//SoqlExpression',
    });
    expect(pmd.isError).toBe(true);
    expect(pmd.text).toMatch(/^Refused: custom-rules\/no-soql-in-for-each-pmd-rules\.xml already exists/);
    const regex = await server.call('create_custom_rule', {
      ruleName: 'nosystemdebug',
      description: 'again',
      engine: 'regex',
      regex: 'debug',
    });
    expect(regex.isError).toBe(true);
    expect(regex.text).toContain('Refused: code-analyzer.yml already has a regex rule named NoSystemDebug');
    expect(snapshot()).toEqual(before);
  });

  it('refuses a broken regex or an XPath PMD rejects, and writes nothing', async () => {
    const before = snapshot();
    const regex = await server.call('create_custom_rule', {
      ruleName: 'BrokenRegex',
      description: 'x',
      engine: 'regex',
      regex: '/(unclosed/g',
    });
    expect(regex.isError).toBe(true);
    expect(regex.text).toMatch(/does not compile/);
    const empty = await server.call('create_custom_rule', {
      ruleName: 'Everything',
      description: 'x',
      regex: 'a*',
    });
    expect(empty.isError).toBe(true);
    expect(empty.text).toMatch(/matches the empty string/);
    const xpath = await server.call('create_custom_rule', {
      ruleName: 'BrokenXPath',
      description: 'x',
      language: 'apex',
      engine: 'pmd',
      priority: 3,
      xpath: "//Method[@Image=='run'",
    });
    expect(xpath.isError).toBe(true);
    expect(xpath.text).toMatch(/^PMD rejects the rule: .*XPath/);
    const unmatched = await server.call('create_custom_rule', {
      ruleName: 'NeverMatches',
      description: 'x',
      xpath: '//DmlDeleteStatement',
      sampleCode: SOQL_IN_FOR_EACH,
    });
    expect(unmatched.isError).toBe(true);
    expect(unmatched.text).toMatch(/matches nothing in sampleCode/);
    expect(existsSync(join(project, 'custom-rules/broken-x-path-pmd-rules.xml'))).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a working directory outside the project', async () => {
    const result = await server.call('create_custom_rule', {
      ruleName: 'Outside',
      description: 'x',
      regex: 'x',
      workingDirectory: tmpdir(),
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/outside the project/);
  });
});
