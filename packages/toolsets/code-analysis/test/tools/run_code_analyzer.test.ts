import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PROJECT, cleanUp, copySample, filesUnder, serve, tempDir } from '../helpers.js';

interface Finding {
  severity: string;
  engine: string;
  rule: string;
  file: string;
  line?: number;
  message: string;
}
interface RunOutput {
  resultsFile: string;
  sarifFile: string;
  total: number;
  bySeverity: Record<string, number>;
  byEngine: Record<string, number>;
  skipped: string[];
  failed: string[];
  top: Finding[];
}

const APEX = 'force-app/main/default/classes/AccountService.cls';
const LWC = 'force-app/main/default/lwc/unsafeGreeting/unsafeGreeting.js';
const JQUERY = 'force-app/main/default/staticresources/jquery.js';

describe('run_code_analyzer on the sample project (real engines)', () => {
  let project: string;
  let server: TestServer;
  let run: {
    text: string;
    structured: RunOutput;
    progress: { progress: number; total?: number; message?: string }[];
  };

  beforeAll(async () => {
    project = copySample();
    server = await serve(project);
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const result = await server.client.callTool(
      { name: 'run_code_analyzer', arguments: { target: ['force-app'], directory: project } },
      undefined,
      { onprogress: (update) => progress.push(update), timeout: 300_000 },
    );
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    run = {
      text: (result.content as { text: string }[]).map((part) => part.text).join('\n'),
      structured: result.structuredContent as unknown as RunOutput,
      progress,
    };
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    cleanUp();
  });

  it('finds SOQL in a loop and the CRUD violation in the Apex class (pmd)', () => {
    const { top } = run.structured;
    const loops = top.filter((finding) => finding.rule === 'OperationWithLimitsInLoop');
    expect(loops.map((finding) => [finding.engine, finding.file, finding.line])).toEqual([
      ['pmd', APEX, 4],
      ['pmd', APEX, 8],
    ]);
    const crud = top.filter((finding) => finding.rule === 'ApexCRUDViolation');
    expect(crud.map((finding) => finding.line)).toEqual([4, 8, 13, 15]);
    expect(crud.every((finding) => finding.engine === 'pmd' && finding.severity === 'High')).toBe(true);
  });

  it('finds innerHTML in the LWC (eslint, the LWC rules)', () => {
    const inner = run.structured.top.filter((finding) => finding.rule === '@lwc/lwc/no-inner-html');
    expect(inner).toEqual([expect.objectContaining({ engine: 'eslint', file: LWC, line: 8 })]);
  });

  it('finds the old jQuery static resource (retire-js)', () => {
    const jquery = run.structured.top.filter((finding) => finding.engine === 'retire-js');
    expect(jquery.length).toBeGreaterThan(0);
    for (const finding of jquery) {
      expect(finding.file).toBe(JQUERY);
      expect(finding.rule).toMatch(/^LibraryWithKnown(Critical|High|Medium|Low)SeverityVulnerability$/);
      expect(finding.message).toContain('jquery v1.8.3');
    }
  });

  it('answers counts by severity and engine, the top violations as a table and the results files', () => {
    const { structured, text } = run;
    expect(structured.total).toBe(
      Object.values(structured.bySeverity).reduce((sum, count) => sum + count, 0),
    );
    expect(Object.keys(structured.byEngine)).toEqual(expect.arrayContaining(['pmd', 'eslint', 'retire-js']));
    expect(structured.skipped).toEqual([]);
    expect(structured.failed).toEqual([]);
    expect(text).toMatch(/^Code Analyzer: \d+ violations in 3 files/);
    expect(text).toContain('By severity: Critical 0, High 5,');
    expect(text).toContain('severity | file | line | rule | engine | message');
    expect(text).toContain(`High | ${LWC} | 8 | @lwc/lwc/no-inner-html | eslint |`);
    expect(text).toMatch(/Results: \.sfmcp\/code-analyzer\/results-[\w-]+\.json \(SARIF: /);
    expect(Buffer.byteLength(text)).toBeLessThan(60_000);
  });

  it('writes JSON and SARIF results inside the project', () => {
    const { resultsFile, sarifFile } = run.structured;
    expect(resultsFile.startsWith(join(project, '.sfmcp', 'code-analyzer') + '/')).toBe(true);
    expect(sarifFile).toBe(resultsFile.replace(/\.json$/, '.sarif'));
    const json = JSON.parse(readFileSync(resultsFile, 'utf8'));
    expect(json.violations).toHaveLength(run.structured.total);
    expect(json.violations[0]).toMatchObject({ rule: expect.any(String), engine: expect.any(String) });
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const sarifResults = sarif.runs.flatMap((sarifRun: { results: unknown[] }) => sarifRun.results);
    expect(sarifResults).toHaveLength(run.structured.total);
    // Nothing else is left behind: no temporary files.
    expect(readdirSync(join(project, '.sfmcp', 'code-analyzer')).sort()).toEqual(
      [resultsFile, sarifFile].map((path) => path.split('/').pop()).sort(),
    );
  });

  it('reports progress while the engines run, ending at 100', () => {
    expect(run.progress.length).toBeGreaterThan(3);
    const values = run.progress.map((update) => update.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values.at(-1)).toBe(100);
    expect(run.progress.some((update) => /Running .*pmd/.test(update.message ?? ''))).toBe(true);
  });

  it('refuses targets outside the project, and writes nothing', async () => {
    const outside = tempDir('sfmcp-outside-');
    writeFileSync(join(outside, 'Secret.cls'), 'public class Secret {}');
    const before = filesUnder(project);
    for (const target of [
      '..',
      '../x.cls',
      outside,
      join(outside, 'Secret.cls'),
      '../**/*.cls',
      `${outside}/*.cls`,
    ]) {
      const result = await server.call('run_code_analyzer', { target: [target], directory: project });
      expect(result.isError, target).toBe(true);
      expect(result.text, target).toMatch(/outside the project/);
    }
    // Through a link inside the project: as a target, and lying anywhere in the workspace.
    symlinkSync(outside, join(project, 'force-app', 'shared'));
    try {
      const viaLink = await server.call('run_code_analyzer', {
        target: ['force-app/shared/Secret.cls'],
        directory: project,
      });
      expect(viaLink.isError).toBe(true);
      expect(viaLink.text).toMatch(/outside the project/);
      const anywhere = await server.call('run_code_analyzer', { target: [APEX], directory: project });
      expect(anywhere.isError).toBe(true);
      expect(anywhere.text).toMatch(/force-app\/shared is a symbolic link to a place outside the project/);
    } finally {
      expect(readlinkSync(join(project, 'force-app', 'shared'))).toBe(outside);
      // (removed below, so later tests see the project as it was)
    }
    await import('node:fs/promises').then((fs) => fs.unlink(join(project, 'force-app', 'shared')));
    expect(filesUnder(project)).toEqual(before);
  });

  it('refuses a target that leaves a project nested in the server’s, and a results file there', async () => {
    const outer = copySample();
    const nested = join(outer, 'nested');
    cpSync(SAMPLE_PROJECT, nested, { recursive: true });
    const local = await serve(outer);
    try {
      const before = filesUnder(outer);
      const up = await local.call('run_code_analyzer', { target: ['../force-app'], directory: nested });
      expect(up.isError).toBe(true);
      expect(up.text).toMatch(/"\.\.\/force-app" is outside the project/);
      const query = await local.call('query_code_analyzer_results', {
        resultsFile: '../sfdx-project.json',
        selector: 'all',
        directory: nested,
      });
      expect(query.isError).toBe(true);
      expect(query.text).toMatch(/outside the project/);
      expect(filesUnder(outer)).toEqual(before);
    } finally {
      await local.close();
    }
  });

  it('refuses a missing target and a glob that matches nothing, before running anything', async () => {
    const missing = await server.call('run_code_analyzer', {
      target: ['force-app/Nope.cls'],
      directory: project,
    });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/does not exist/);
    const none = await server.call('run_code_analyzer', { target: ['**/*.trigger'], directory: project });
    expect(none.isError).toBe(true);
    expect(none.text).toMatch(/No file in the project matches/);
  });

  it('takes globs and honours the project’s code-analyzer.yml (a rule disabled, a custom regex rule)', async () => {
    writeFileSync(
      join(project, 'code-analyzer.yml'),
      [
        'rules:',
        '  pmd:',
        '    ApexDoc:',
        '      disabled: true',
        'engines:',
        '  regex:',
        '    custom_rules:',
        '      NoToUpperCase:',
        '        regex: /\\.toUpperCase\\(\\)/g',
        '        file_extensions: [".cls"]',
        '        description: "Upper-casing in Apex: use the locale-aware formatter."',
        '        violation_message: "toUpperCase() called."',
        '        severity: 4',
        '        tags: ["Recommended"]',
      ].join('\n'),
    );
    try {
      const result = await server.call('run_code_analyzer', {
        target: ['force-app/**/*.cls'],
        selector: 'pmd,regex',
        directory: project,
      });
      expect(result.isError, result.text).toBeFalsy();
      const top = (result.structuredContent as unknown as RunOutput).top;
      expect(top.some((finding) => finding.rule === 'ApexDoc')).toBe(false);
      expect(top).toContainEqual(
        expect.objectContaining({ engine: 'regex', rule: 'NoToUpperCase', file: APEX, line: 6 }),
      );
      expect(new Set(top.map((finding) => finding.file))).toEqual(new Set([APEX]));
    } finally {
      await import('node:fs/promises').then((fs) => fs.unlink(join(project, 'code-analyzer.yml')));
    }
  }, 180_000);

  it('without Java: skips pmd, cpd and sfge with one line saying how to enable them, and runs the rest', async () => {
    const noJava = copySample();
    writeFileSync(
      join(noJava, 'code-analyzer.yml'),
      [
        'engines:',
        ...['pmd', 'cpd', 'sfge'].flatMap((engine) => [
          `  ${engine}:`,
          '    java_command: /nonexistent/java',
        ]),
      ].join('\n'),
    );
    const local = await serve(noJava);
    try {
      const result = await local.call('run_code_analyzer', { target: ['.'], selector: 'Recommended' });
      expect(result.isError, result.text).toBeFalsy();
      const structured = result.structuredContent as unknown as RunOutput;
      expect([...structured.skipped].sort()).toEqual(['cpd', 'pmd', 'sfge']);
      const javaLines = result.text.split('\n').filter((line) => /Java/.test(line));
      expect(javaLines).toEqual([
        'pmd, cpd, sfge skipped: no Java 11+ found. Install a JDK 11 or later and put java on PATH, or set engines.<engine>.java_command in code-analyzer.yml.',
      ]);
      expect(Object.keys(structured.byEngine).sort()).toEqual(['eslint', 'retire-js']);
      expect(structured.failed).toEqual([]);
    } finally {
      await local.close();
    }
  }, 180_000);

  it('stops the engines when the call is cancelled', async () => {
    const controller = new AbortController();
    const started = new Promise<void>((resolve) => {
      void server.client
        .callTool(
          { name: 'run_code_analyzer', arguments: { target: ['.'], directory: project } },
          undefined,
          {
            signal: controller.signal,
            onprogress: () => resolve(),
            timeout: 300_000,
          },
        )
        .catch(() => undefined);
    });
    await started;
    const workers = () =>
      readdirSync('/proc')
        .filter((pid) => /^\d+$/.test(pid))
        .filter((pid) => {
          try {
            return readlinkSync(`/proc/${pid}/cwd`) === project;
          } catch {
            return false;
          }
        });
    expect(workers().length).toBeGreaterThan(0);
    controller.abort();
    for (let wait = 0; wait < 50 && workers().length > 0; wait++)
      await new Promise((r) => setTimeout(r, 100));
    expect(workers()).toEqual([]);
    // A cancelled run writes no results.
    expect(readdirSync(join(project, '.sfmcp', 'code-analyzer'))).toHaveLength(4);
  });

  it('keeps the results folder free of links: a link there is refused, not written through', async () => {
    const elsewhere = tempDir('sfmcp-elsewhere-');
    const linked = copySample();
    mkdirSync(join(linked, '.sfmcp'));
    symlinkSync(elsewhere, join(linked, '.sfmcp', 'code-analyzer'));
    const local = await serve(linked);
    try {
      const result = await local.call('run_code_analyzer', { target: [APEX], selector: 'regex' });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/symbolic link/);
      expect(readdirSync(elsewhere)).toEqual([]);
      expect(existsSync(join(linked, '.sfmcp', 'code-analyzer'))).toBe(true);
    } finally {
      await local.close();
    }
  }, 180_000);
});
