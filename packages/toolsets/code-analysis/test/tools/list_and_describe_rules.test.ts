import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, copySample, serve } from '../helpers.js';

interface Row {
  name: string;
  engine: string;
  severity: string;
  tags: string[];
}

describe('list_code_analyzer_rules and describe_code_analyzer_rule (real engines)', () => {
  let project: string;
  let server: TestServer;

  beforeAll(async () => {
    project = copySample();
    // The project's own rules and overrides: a custom regex rule, a severity changed.
    writeFileSync(
      join(project, 'code-analyzer.yml'),
      [
        'rules:',
        '  pmd:',
        '    ApexDoc:',
        '      severity: 2',
        'engines:',
        '  regex:',
        '    custom_rules:',
        '      NoSystemDebug:',
        '        regex: /System\\.debug\\(/gi',
        '        file_extensions: [".cls", ".trigger"]',
        '        description: "System.debug left in Apex."',
        '        violation_message: "Remove System.debug."',
        '        severity: 3',
        '        tags: ["Recommended", "Performance"]',
      ].join('\n'),
    );
    server = await serve(project);
  });
  afterAll(async () => {
    await server?.close();
    cleanUp();
  });

  it('lists the rules a selector picks, as a table, every engine that runs here included', async () => {
    const result = await server.call('list_code_analyzer_rules', { selector: 'pmd:Security' });
    expect(result.isError, result.text).toBeFalsy();
    const { rules, matched } = result.structuredContent as { rules: Row[]; matched: number };
    expect(result.text).not.toMatch(/skipped/);
    expect(matched).toBe(rules.length);
    expect(rules.every((rule) => rule.engine === 'pmd' && rule.tags.includes('Security'))).toBe(true);
    expect(rules.map((rule) => rule.name)).toContain('ApexCRUDViolation');
    expect(result.text).toMatch(/^\d+ rules match "pmd:Security"\.\nname \| engine \| severity \| tags/);

    const all = await server.call('list_code_analyzer_rules', { selector: 'all', allowFullList: true });
    expect((all.structuredContent as { matched: number }).matched).toBeGreaterThan(300);
    for (const engine of ['eslint', 'regex', 'retire-js', 'pmd', 'cpd', 'sfge', 'flow']) {
      const one = await server.call('list_code_analyzer_rules', { selector: engine });
      expect((one.structuredContent as { matched: number }).matched, engine).toBeGreaterThan(0);
    }
  });

  it("includes the project's custom rules and overrides", async () => {
    const custom = await server.call('list_code_analyzer_rules', { selector: 'regex:Performance' });
    expect((custom.structuredContent as { rules: Row[] }).rules).toContainEqual({
      name: 'NoSystemDebug',
      engine: 'regex',
      severity: '3 Moderate',
      tags: ['Recommended', 'Performance'],
    });
    const described = await server.call('describe_code_analyzer_rule', {
      engineName: 'regex',
      ruleName: 'NoSystemDebug',
    });
    expect(described.isError, described.text).toBeFalsy();
    expect(described.text).toContain('System.debug left in Apex.');
    const overridden = await server.call('describe_code_analyzer_rule', {
      engineName: 'pmd',
      ruleName: 'ApexDoc',
    });
    expect(overridden.structuredContent).toMatchObject({ severity: 2 });
  });

  it('stops at 100 rules unless allowFullList, and pages what it lists', async () => {
    const short = await server.call('list_code_analyzer_rules', { selector: 'all' });
    const structured = short.structuredContent as { rules: Row[]; matched: number; nextCursor?: string };
    expect(structured.rules.length).toBeLessThanOrEqual(100);
    expect(short.text).toMatch(/more not listed: pass allowFullList: true/);
    const full: Row[] = [];
    let cursor: string | undefined;
    do {
      const page = await server.call('list_code_analyzer_rules', {
        selector: 'all',
        allowFullList: true,
        ...(cursor ? { cursor } : {}),
      });
      expect(Buffer.byteLength(page.text)).toBeLessThan(60_000);
      const content = page.structuredContent as { rules: Row[]; nextCursor?: string };
      full.push(...content.rules);
      cursor = content.nextCursor;
    } while (cursor);
    expect(full).toHaveLength(structured.matched);
  });

  it('describes a rule: severity, tags, description, links', async () => {
    const result = await server.call('describe_code_analyzer_rule', {
      engineName: 'pmd',
      ruleName: 'ApexCRUDViolation',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      name: 'ApexCRUDViolation',
      engine: 'pmd',
      severity: 2,
      tags: expect.arrayContaining(['Security']),
      resources: [expect.stringMatching(/^https:\/\/docs\.pmd-code\.org\//)],
    });
    expect(result.text).toMatch(/^pmd:ApexCRUDViolation — severity 2 \(High\)/);
    const eslint = await server.call('describe_code_analyzer_rule', {
      engineName: 'eslint',
      ruleName: '@lwc/lwc/no-inner-html',
    });
    expect(eslint.isError, eslint.text).toBeFalsy();
  });

  it('says where a rule is when the engine is wrong, and refuses unknown names and bad selectors', async () => {
    const wrong = await server.call('describe_code_analyzer_rule', {
      engineName: 'eslint',
      ruleName: 'ApexCRUDViolation',
    });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toMatch(/No rule "ApexCRUDViolation" in engine "eslint"[\s\S]*It exists in: pmd/);
    const unknown = await server.call('describe_code_analyzer_rule', {
      engineName: 'pmd',
      ruleName: 'NoSuchRule',
    });
    expect(unknown.isError).toBe(true);
    const broken = await server.call('list_code_analyzer_rules', { selector: 'pmd::' });
    expect(broken.isError).toBe(true);
    expect(broken.text).toMatch(/selector "pmd::" is not valid/);
    const none = await server.call('list_code_analyzer_rules', { selector: 'NoSuchTag' });
    expect(none.isError).toBeFalsy();
    expect(none.structuredContent).toMatchObject({ matched: 0, rules: [] });
  });
});
