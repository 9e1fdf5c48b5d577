import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE, SERVICE_TEST, createApexClasses, startApexServer } from '../helpers.js';

let server: LocalOrgTestServer;

beforeAll(async () => {
  server = await startApexServer();
});

afterAll(async () => {
  await server?.close();
});

describe('get_code_coverage', () => {
  it('says when no run has recorded coverage yet', async () => {
    const result = await server.call('get_code_coverage', {});
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain('0 classes and triggers with coverage.');
  });

  it('reports org-wide and per-class coverage from the last run, with uncovered lines', async () => {
    const run = await server.call('run_apex_test', {
      classNames: ['InvoiceServiceTest'],
      codeCoverage: true,
    });
    expect(run.isError).toBeFalsy();
    const result = await server.call('get_code_coverage', { showLines: true });
    expect(result.text).toContain('Org-wide coverage: 80%. 1 classes and triggers with coverage.');
    expect(result.text).toContain('InvoiceService | 80% | 4/5 | 6');
    expect(result.structuredContent).toEqual({
      orgWideCoverage: 80,
      total: 1,
      classes: [
        { name: 'InvoiceService', percentage: 80, linesCovered: 4, linesUncovered: 1, uncoveredLines: [6] },
      ],
    });
    const named = await server.call('get_code_coverage', { classNames: ['InvoiceService', 'Missing'] });
    expect(named.text).toContain('No coverage recorded for: Missing.');
    expect(named.text).toContain('InvoiceService | 80% | 4/5');
  });

  // Last: a second local org with the same username takes over its sf auth in this HOME.
  it('keeps the org-wide coverage a run reported when it earned none (no outcome or coverage declared)', async () => {
    const { createLocalOrgTestServer } = await import('@sfmcp/testkit');
    const { default: plugin } = await import('../../src/index.js');
    const bare = await createLocalOrgTestServer({ plugins: [plugin], seed: { declared: {} } });
    try {
      await createApexClasses(bare, [SERVICE, SERVICE_TEST]);
      const run = await bare.call('run_apex_test', {
        classNames: ['InvoiceServiceTest'],
        codeCoverage: true,
      });
      expect(run.text).toContain('org-wide 0%');
      expect(run.text).toContain('0 passed, 0 failed, 2 skipped');
      const result = await bare.call('get_code_coverage', {});
      expect(result.text).toContain('Org-wide coverage: 0%. 0 classes and triggers with coverage.');
      expect(result.structuredContent).toMatchObject({ orgWideCoverage: 0, total: 0 });
    } finally {
      await bare.close();
    }
  });
});
