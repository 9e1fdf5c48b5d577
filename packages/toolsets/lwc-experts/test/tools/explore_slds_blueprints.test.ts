import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exploreSldsBlueprints } from '../../src/tools/explore_slds_blueprints.js';
import { cleanUp, serveTools } from '../helpers.js';

interface Structured {
  matched: number;
  blueprints: { id: string; category: string; lightning: string[] }[];
  unknown: string[];
}

describe('explore_slds_blueprints (the design system blueprints)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serveTools([exploreSldsBlueprints], undefined, ['--allow-non-ga-tools']);
  });
  afterAll(async () => {
    await server?.close();
    cleanUp();
  });
  const call = async (args: Record<string, unknown>) => {
    const result = await server.call('explore_slds_blueprints', args);
    return { ...result, data: result.structuredContent as unknown as Structured };
  };

  it('lists every blueprint with its category and base component', async () => {
    const result = await call({});
    expect(result.isError, result.text).toBeFalsy();
    expect(result.data.matched).toBeGreaterThan(80);
    expect(result.text).toMatch(/^Data Tables \| Data \| lightning-datatable \|/m);
  });

  it('details blueprints by name: classes, base components, hooks, deprecated classes with replacements', async () => {
    const result = await call({ name: ['Cards', 'modals', 'nope-thing'] });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.data.blueprints.map((blueprint) => blueprint.id)).toEqual(['cards', 'modals']);
    expect(result.data.unknown).toEqual(['nope-thing']);
    expect(result.text).toMatch(/^## Cards \(cards\) — Layout$/m);
    expect(result.text).toMatch(/^Lightning base component: lightning-card$/m);
    expect(result.text).toMatch(/^SLDS classes \(\d+\): slds-card .*slds-card__header/m);
    expect(result.text).toMatch(/^Styling hooks \(\d+\): .*--slds-c-card-color-background/m);
    expect(result.text).toContain('slds-card__body--inner → slds-card__body_inner');
    expect(result.text).toContain('LightningModal (lightning/modal)');
  });

  it('finds blueprints by category, search, lightning component, class and styling hook', async () => {
    const overlay = await call({ category: 'Overlay' });
    expect(overlay.data.blueprints.map((blueprint) => blueprint.id).sort()).toEqual([
      'modals',
      'popovers',
      'prompt',
      'tooltips',
    ]);
    const tree = await call({ search: 'tree' });
    expect(tree.data.blueprints.map((blueprint) => blueprint.id)).toEqual(['tree-grid', 'trees']);
    const table = await call({ lightning_component: 'lightning:datatable' });
    expect(table.data.blueprints.map((blueprint) => blueprint.id)).toEqual(['data-tables']);
    const byClass = await call({ slds_class: '.slds-accordion__summary' });
    expect(byClass.data.blueprints.map((blueprint) => blueprint.id)).toEqual(['accordion']);
    const byHook = await call({ styling_hook: '--slds-c-accordion-heading-color' });
    expect(byHook.data.blueprints.map((blueprint) => blueprint.id)).toEqual(['accordion']);
  });

  it('says a deprecated class is deprecated and what replaces it, even outside any blueprint', async () => {
    const result = await call({ slds_class: 'slds-action-overflow--touch' });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toMatch(/slds-action-overflow--touch is deprecated: use slds-action-overflow_touch/);
  });

  it('fails clearly for an unknown name, and rejects a category out of the enum', async () => {
    const unknown = await call({ name: 'zzqq' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/Unknown blueprint "zzqq"/);
    const bad = await call({ category: 'Widgets' });
    expect(bad.isError).toBe(true);
  });
});
