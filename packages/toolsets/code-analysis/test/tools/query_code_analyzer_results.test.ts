import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BigProject, generateBigProject } from '../big-project.js';
import { cleanUp, serve, tempDir } from '../helpers.js';

interface Finding {
  severity: string;
  engine: string;
  rule: string;
  file: string;
  line?: number;
}

describe('a 500+ file project in one call, then its results queried', () => {
  let project: BigProject;
  let server: TestServer;
  let resultsFile: string;
  let total: number;
  let text: string;
  const progress: { progress: number; message?: string }[] = [];

  beforeAll(async () => {
    project = generateBigProject();
    expect(project.files).toBeGreaterThanOrEqual(500);
    server = await serve(project.dir);
    // Narrower than Recommended (no retire-js, cpd or sfge) to keep CI quick; pmd, eslint and regex see every file.
    const result = await server.client.callTool(
      { name: 'run_code_analyzer', arguments: { target: ['.'], selector: '(pmd,eslint,regex):Recommended' } },
      undefined,
      { onprogress: (update) => progress.push(update), timeout: 600_000 },
    );
    text = (result.content as { text: string }[]).map((part) => part.text).join('\n');
    expect(result.isError, text).toBeFalsy();
    const structured = result.structuredContent as {
      resultsFile: string;
      total: number;
      byEngine: Record<string, number>;
    };
    resultsFile = structured.resultsFile;
    total = structured.total;
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    cleanUp();
  });

  it('analyzes every file in one call, with progress, and answers within the response budget', () => {
    expect(text).toMatch(new RegExp(`on ${project.files} files`));
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)?.progress).toBe(100);
    expect(Buffer.byteLength(text)).toBeLessThan(60_000);
    expect(text).toMatch(/more in the results file: query_code_analyzer_results/);
    expect(total).toBeGreaterThan(project.classes + project.components / 2);
  });

  it('filters by engine and rule, severity and file', async () => {
    const loops = await server.call('query_code_analyzer_results', {
      resultsFile,
      selector: 'pmd:OperationWithLimitsInLoop',
      topN: 100,
    });
    expect(loops.isError, loops.text).toBeFalsy();
    const matched = (loops.structuredContent as { matched: number }).matched;
    expect(matched).toBe(project.classes);
    const inner = await server.call('query_code_analyzer_results', {
      resultsFile,
      selector: '@lwc/lwc/no-inner-html',
      topN: 100,
    });
    const innerRows = (inner.structuredContent as { violations: Finding[] }).violations;
    expect(innerRows).toHaveLength(project.components / 2);
    expect(innerRows.every((row) => row.severity === 'High' && /widget\d+\.js$/.test(row.file))).toBe(true);
    const oneFile = await server.call('query_code_analyzer_results', {
      resultsFile,
      selector: 'force-app/**/Service007.cls:Moderate',
    });
    const rows = (oneFile.structuredContent as { violations: Finding[] }).violations;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.file.endsWith('Service007.cls') && row.severity === 'Moderate')).toBe(
      true,
    );
  });

  it('sorts and takes the top N', async () => {
    const result = await server.call('query_code_analyzer_results', {
      resultsFile,
      selector: 'pmd',
      sortBy: 'file',
      sortDirection: 'desc',
      topN: 5,
    });
    const files = (result.structuredContent as { violations: Finding[] }).violations.map((row) => row.file);
    expect(files).toHaveLength(5);
    expect(files).toEqual([...files].sort().reverse());
    expect(files[0]).toMatch(/Service119\.cls$/);
  });

  it('pages a large result set with sealed cursors, and refuses a large one unless allowed', async () => {
    const refused = await server.call('query_code_analyzer_results', {
      resultsFile,
      selector: 'all',
      topN: 5_000,
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/allowLargeResultSet/);
    const seen: Finding[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await server.call('query_code_analyzer_results', {
        resultsFile,
        selector: 'all',
        topN: 5_000,
        allowLargeResultSet: true,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.isError, page.text).toBeFalsy();
      expect(Buffer.byteLength(page.text)).toBeLessThan(60_000);
      const structured = page.structuredContent as { violations: Finding[]; nextCursor?: string };
      seen.push(...structured.violations);
      cursor = structured.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toHaveLength(total);
    // A cursor is bound to its listing: another selector refuses it.
    const first = await server.call('query_code_analyzer_results', {
      resultsFile,
      selector: 'all',
      topN: 5_000,
      allowLargeResultSet: true,
    });
    const next = (first.structuredContent as { nextCursor: string }).nextCursor;
    const foreign = await server.call('query_code_analyzer_results', {
      resultsFile,
      selector: 'pmd',
      topN: 5_000,
      allowLargeResultSet: true,
      cursor: next,
    });
    expect(foreign.isError).toBe(true);
  });

  it('refuses a results file outside the project, a file that is not results, and a broken selector', async () => {
    const outside = join(tempDir('sfmcp-outside-'), 'results.json');
    writeFileSync(outside, JSON.stringify({ violations: [] }));
    const far = await server.call('query_code_analyzer_results', { resultsFile: outside, selector: 'all' });
    expect(far.isError).toBe(true);
    expect(far.text).toMatch(/outside the project/);
    const up = await server.call('query_code_analyzer_results', {
      resultsFile: '../results.json',
      selector: 'all',
    });
    expect(up.isError).toBe(true);
    expect(up.text).toMatch(/outside the project/);
    const notResults = await server.call('query_code_analyzer_results', {
      resultsFile: 'sfdx-project.json',
      selector: 'all',
    });
    expect(notResults.isError).toBe(true);
    expect(notResults.text).toMatch(/not a Code Analyzer JSON results file/);
    const broken = await server.call('query_code_analyzer_results', { resultsFile, selector: '(pmd,eslint' });
    expect(broken.isError).toBe(true);
    expect(broken.text).toMatch(/parenthesis is not closed/);
  });
});
