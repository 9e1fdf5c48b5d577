import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestServer, createTestServer, makeDxProject } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpAst } from '../../src/lib/pmd-ast.js';
import plugin from '../../src/index.js';

const SAMPLE = `public class Foo {
    public void run(List<Account> accounts) {
        for (Account a : accounts) {
            Contact c = [SELECT Id FROM Contact WHERE AccountId = :a.Id LIMIT 1];
            update c;
        }
    }
}
`;

interface Node {
  depth: number;
  name: string;
  line?: number;
  endLine?: number;
  attributes: Record<string, string>;
}

let server: TestServer;
let project: string;
let privateTmp: string;
const originalTmp = process.env.TMPDIR;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'sfmcp-ast-'));
  await makeDxProject(project);
  // The handler's temporary files go under os.tmpdir(): a folder of this test's own, to see that none stay.
  privateTmp = mkdtempSync(join(tmpdir(), 'sfmcp-ast-tmp-'));
  process.env.TMPDIR = privateTmp;
  server = await createTestServer({
    plugins: [plugin],
    args: ['--project-dir', project, '--allow-non-ga-tools'],
  });
});

afterAll(async () => {
  await server?.close();
  if (originalTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = originalTmp;
  rmSync(project, { recursive: true, force: true });
  rmSync(privateTmp, { recursive: true, force: true });
});

describe('get_ast_nodes_to_generate_xpath', () => {
  it('publishes every argument @salesforce/mcp accepts', async () => {
    const { tools } = await server.client.listTools();
    const tool = tools.find((entry) => entry.name === 'get_ast_nodes_to_generate_xpath');
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['sampleCode', 'language', 'engine']),
    );
  });

  it('returns the PMD AST of an Apex class, with lines, and leaves no temporary file', async () => {
    const result = await server.call('get_ast_nodes_to_generate_xpath', {
      sampleCode: SAMPLE,
      language: 'apex',
      engine: 'pmd',
    });
    expect(result.isError, result.text).toBeFalsy();
    const { nodes, lineNumbers, attributeNames } = result.structuredContent as {
      nodes: Node[];
      lineNumbers: boolean;
      attributeNames: Record<string, string[]>;
    };
    expect(lineNumbers).toBe(true);
    const find = (name: string) => nodes.find((node) => node.name === name);
    expect(nodes[0]).toMatchObject({ depth: 0, name: 'ApexFile', line: 1 });
    expect(find('UserClass')).toMatchObject({ depth: 1, line: 1, attributes: { Image: 'Foo' } });
    expect(find('Method')).toMatchObject({
      line: 2,
      endLine: 7,
      attributes: { Image: 'run', ReturnType: 'void' },
    });
    expect(find('ForEachStatement')).toMatchObject({ line: 3 });
    expect(find('SoqlExpression')).toMatchObject({
      line: 4,
      attributes: { Query: 'SELECT Id FROM Contact WHERE AccountId = :a.Id LIMIT 1' },
    });
    expect(find('DmlUpdateStatement')).toMatchObject({ line: 5 });
    expect(attributeNames.Method).toEqual(expect.arrayContaining(['Image', 'ReturnType', 'Arity']));
    expect(result.text).toMatch(/^ {4}Method \[2-7\] .*Image="run"/m);
    expect(result.text).toMatch(/^ {16}SoqlExpression \[4\] /m);
    expect(result.text).toContain('Method: @Arity');
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it('other PMD languages', async () => {
    const result = await server.call('get_ast_nodes_to_generate_xpath', {
      sampleCode: '<apex:page controller="Foo"><apex:outputText value="{!name}"/></apex:page>',
      language: 'visualforce',
      engine: 'pmd',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toMatch(/Element \[1\] .*Name="apex:outputText"/);
  });

  it('a sample PMD cannot parse, an unknown language or engine: one clear error, no file left', async () => {
    const broken = await server.call('get_ast_nodes_to_generate_xpath', {
      sampleCode: 'public class {',
      language: 'apex',
      engine: 'pmd',
    });
    expect(broken.isError).toBe(true);
    expect(broken.text).toMatch(/^PMD could not parse the sample: .*Syntax error at 1:13/);
    expect(broken.text).not.toContain(privateTmp);
    const language = await server.call('get_ast_nodes_to_generate_xpath', {
      sampleCode: 'x',
      language: 'cobol',
      engine: 'pmd',
    });
    expect(language.text).toMatch(/PMD has no language "cobol"/);
    const engine = await server.call('get_ast_nodes_to_generate_xpath', {
      sampleCode: 'x',
      language: 'apex',
      engine: 'eslint',
    });
    expect(engine.text).toMatch(/engine must be pmd/);
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it('a cancelled call stops java and removes its files', async () => {
    const controller = new AbortController();
    const call = server.client.callTool(
      {
        name: 'get_ast_nodes_to_generate_xpath',
        arguments: { sampleCode: SAMPLE, language: 'apex', engine: 'pmd' },
      },
      undefined,
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 300);
    await expect(call).rejects.toThrow();
    // The handler removes its folder once java has been killed; wait for that, without timing anything.
    for (let attempt = 0; attempt < 100 && readdirSync(privateTmp).length > 0; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it('without the Java compiler: the engine’s own ast-dump, same nodes, no lines', async () => {
    const withLines = await dumpAst(SAMPLE, 'apex');
    const fallback = await dumpAst(SAMPLE, 'apex', { helper: false });
    expect(fallback.lineNumbers).toBe(false);
    expect(fallback.nodes.map((node) => `${node.depth} ${node.name}`)).toEqual(
      withLines.nodes.map((node) => `${node.depth} ${node.name}`),
    );
    expect(fallback.nodes.find((node) => node.name === 'Parameter')?.attributes.Type).toBe('List<Account>');
    expect(readdirSync(privateTmp)).toEqual([]);
  });
});
