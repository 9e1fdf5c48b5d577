import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceLwcCompilationError } from '../../src/tools/reference_lwc_compilation_error.js';
import { ADVICE, loadCatalog } from '../../src/lib/error-catalog.js';
import { cleanUp, makeProject, serveTools } from '../helpers.js';

const BAD = fileURLToPath(new URL('../fixtures/bad/lwc', import.meta.url));
const LWC = 'force-app/main/default/lwc';

interface Structured {
  code: string;
  name: string;
  group: string;
  matchedBy: 'code' | 'message';
  occurrences?: number;
}

let server: TestServer;
let bare: TestServer;

function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

beforeAll(async () => {
  const project = makeProject();
  cpSync(BAD, join(project, LWC), { recursive: true });
  server = await serveTools([referenceLwcCompilationError], project);
  // No project at all: look-ups and files still work.
  bare = await serveTools([referenceLwcCompilationError]);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await bare?.close();
  cleanUp();
});

describe('reference_lwc_compilation_error', () => {
  it('publishes the arguments @salesforce/mcp accepts, read-only', async () => {
    const { tools } = await server.client.listTools();
    const tool = tools.find((entry) => entry.name === 'reference_lwc_compilation_error');
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['errorCode', 'errorMessage', 'componentName', 'files']),
    );
    expect(tool?.inputSchema.required).toEqual(['errorCode']);
    expect(tool?.annotations?.readOnlyHint).toBe(true);
  });

  it('looks a code up in any of its spellings', async () => {
    for (const errorCode of ['LWC1034', 'lwc1034', '1034', ' LWC-1034 ']) {
      const result = await bare.call('reference_lwc_compilation_error', { errorCode });
      expect(result.isError, result.text).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        code: 'LWC1034',
        name: 'AMBIGUOUS_ATTRIBUTE_VALUE',
        group: 'ParserDiagnostics',
        matchedBy: 'code',
      });
      expect(result.text).toContain('raised by the template compiler');
      expect(result.text).toContain('Docs: https://lwc.dev/guide/error_codes#lwc1034');
      expect(result.text).toContain('Message: Ambiguous attribute value {0}.');
      expect(result.text).toContain('Fix: Remove the quotes: attr={value}.');
    }
  });

  it('explains decorator and warning codes with their group and level', async () => {
    const decorator = await bare.call('reference_lwc_compilation_error', { errorCode: 'LWC1099' });
    expect(decorator.structuredContent).toMatchObject({
      name: 'INVALID_BOOLEAN_PUBLIC_PROPERTY',
      group: 'DecoratorErrors',
    });
    expect(decorator.text).toContain('checking @api, @track and @wire');
    const warning = await bare.call('reference_lwc_compilation_error', { errorCode: '1149' });
    expect(warning.structuredContent).toMatchObject({ name: 'KEY_SHOULD_BE_IN_ITERATION' });
    expect(warning.text).toContain('LWC1149 KEY_SHOULD_BE_IN_ITERATION — warning,');
  });

  it('says honestly when it has no advice of its own for a code', async () => {
    const result = await bare.call('reference_lwc_compilation_error', { errorCode: 'LWC1013' });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain("the message template above is the catalogue's own text");
    expect(result.text).toContain('how the compiler was called');
  });

  it('has its own cause and fix for the common template, decorator and class codes', async () => {
    const catalog = await loadCatalog();
    const common = catalog.filter((entry) =>
      ['ParserDiagnostics', 'DecoratorErrors', 'LWCClassErrors'].includes(entry.group),
    );
    const advised = common.filter((entry) => ADVICE[entry.code]);
    expect(advised.length).toBeGreaterThanOrEqual(40);
    // Every piece of advice is for a code that exists.
    for (const code of Object.keys(ADVICE))
      expect(catalog.some((entry) => entry.code === Number(code))).toBe(true);
  });

  it('finds the code from the message when errorCode is not a code', async () => {
    const message =
      'Ambiguous attribute value onclick="{handleClick}". If you want to make it a valid identifier you should remove the surrounding quotes onclick={handleClick}. If you want to make it a string you should escape it onclick="\\{handleClick}".';
    const result = await bare.call('reference_lwc_compilation_error', {
      errorCode: 'unknown',
      errorMessage: message,
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ code: 'LWC1034', matchedBy: 'message' });
    expect(result.text).toContain('{0} = onclick="{handleClick}"');

    const inCode = await bare.call('reference_lwc_compilation_error', {
      errorCode: 'Boolean public property must default to false.',
    });
    expect(inCode.structuredContent).toMatchObject({ code: 'LWC1099', matchedBy: 'message' });
  });

  it('notes when the message belongs to another code than the one given', async () => {
    const result = await bare.call('reference_lwc_compilation_error', {
      errorCode: 'LWC1043',
      errorMessage:
        'LWC1071: Missing key for element <li> inside of iterator. Elements within iterators must have a unique, computed key value.',
    });
    expect(result.structuredContent).toMatchObject({ code: 'LWC1043' });
    expect(result.text).toContain('your message matches LWC1071 (MISSING_KEY_IN_ITERATOR');
  });

  it('points at the line of the given files that raises the code', async () => {
    const files = filesOf(join(BAD, 'brokenCard'));
    for (const given of [files, JSON.stringify(files)]) {
      const result = await bare.call('reference_lwc_compilation_error', {
        errorCode: 'LWC1034',
        componentName: 'brokenCard',
        files: given,
      });
      expect(result.isError, result.text).toBeFalsy();
      expect((result.structuredContent as unknown as Structured).occurrences).toBe(1);
      expect(result.text).toContain('c/brokenCard raises LWC1034 once:');
      expect(result.text).toContain(
        'brokenCard.html:4:14 — Ambiguous attribute value onclick="{handleClick}"',
      );
      expect(result.text).toContain(
        '> 4 |         <div onclick="{handleClick}">Click</div>\n    |              ^',
      );
      expect(result.text).toContain('  3 |         <img src={imageUrl}>');
    }
  });

  it('compiles a project component named by componentName', async () => {
    const result = await server.call('reference_lwc_compilation_error', {
      errorCode: '1107',
      componentName: 'badScript',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain(`c/badScript (${LWC}/badScript) raises LWC1107 once:`);
    expect(result.text).toContain('badScript.js:4:5 — Invalid property name "dataValue"');
    const other = await server.call('reference_lwc_compilation_error', {
      errorCode: '1034',
      componentName: 'badScript',
    });
    expect((other.structuredContent as unknown as Structured).occurrences).toBe(0);
    expect(other.text).toContain(
      'does not raise LWC1034 now. It raises: LWC1107 at badScript.js:4:5, LWC1099 at badScript.js:5:5.',
    );
    const missing = await server.call('reference_lwc_compilation_error', {
      errorCode: '1034',
      componentName: 'noSuchThing',
    });
    expect(missing.isError, missing.text).toBeFalsy();
    expect(missing.text).toContain(
      'The component was not compiled: No Lightning Web Component named noSuchThing',
    );
  });

  it('refuses an unknown code or unreadable input with how to find codes', async () => {
    const unknown = await bare.call('reference_lwc_compilation_error', { errorCode: 'LWC9999' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('LWC9999 is not in @lwc/errors');
    expect(unknown.text).toMatch(/189 codes, LWC1002–LWC1213/);
    const nonsense = await bare.call('reference_lwc_compilation_error', { errorCode: 'it broke' });
    expect(nonsense.isError).toBe(true);
    expect(nonsense.text).toContain('is not an LWC error code');
    expect(nonsense.text).toContain('validate_lwc_component');
    const badFiles = await bare.call('reference_lwc_compilation_error', {
      errorCode: '1034',
      componentName: 'x',
      files: { '../../etc/passwd': 'x' },
    });
    expect(badFiles.isError).toBe(true);
    expect(badFiles.text).toContain('is not a file name inside the bundle');
    const empty = await bare.call('reference_lwc_compilation_error', { errorCode: '' });
    expect(empty.isError).toBe(true);
  });
});
