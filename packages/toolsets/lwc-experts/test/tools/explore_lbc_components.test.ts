import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exploreLbcComponents } from '../../src/tools/explore_lbc_components.js';
import { cleanUp, serveTools } from '../helpers.js';

interface Structured {
  components: { tag: string; attributes: number; module?: string }[];
  unknown: { name: string; suggestions: string[] }[];
}

describe('explore_lbc_components (the LWC language server catalogue)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serveTools([exploreLbcComponents]);
  });
  afterAll(async () => {
    await server?.close();
    cleanUp();
  });

  it('describes components by any spelling of their name, with types, events and an example', async () => {
    const result = await server.call('explore_lbc_components', {
      names: [
        'accordion',
        'lightning-button',
        'lightning:combobox',
        'lightningDatatable',
        'buttonIcon',
        'button',
      ],
    });
    expect(result.isError, result.text).toBeFalsy();
    const { components, unknown } = result.structuredContent as unknown as Structured;
    expect(components.map((component) => component.tag)).toEqual([
      'lightning-accordion',
      'lightning-button',
      'lightning-combobox',
      'lightning-datatable',
      'lightning-button-icon',
    ]);
    expect(unknown).toEqual([]);
    expect(result.text).toMatch(/^## lightning-accordion\n/m);
    expect(result.text).toMatch(/^label \| string \| The text to be displayed inside the button\.$/m);
    expect(result.text).toMatch(/^key-field \* \| string \|/m);
    expect(result.text).toMatch(/Events: .*rowselection \(detail\.selectedRows\)/);
    expect(result.text).toContain('<lightning-datatable key-field="id"');
    expect(result.text).toContain('<lightning-accordion-section name="a" label="Section A">');
    expect(result.text.length).toBeLessThan(20_000);
  });

  it('shows every attribute, aria-* included, when one component is asked for', async () => {
    const result = await server.call('explore_lbc_components', { names: ['lightning-button'] });
    expect(result.text).toMatch(/^aria-label \| string \|/m);
    expect(result.text).toContain('onclick={handleClick}');
  });

  it('gives the JS modules of the catalogue with their import and exports', async () => {
    const result = await server.call('explore_lbc_components', {
      names: ['uiRecordApi', 'lightning/navigation'],
    });
    expect(result.isError, result.text).toBeFalsy();
    const { components } = result.structuredContent as unknown as Structured;
    expect(components.map((component) => component.module)).toEqual([
      'lightning/uiRecordApi',
      'lightning/navigation',
    ]);
    expect(result.text).toContain(
      "import { getRecord, getRecords, getFieldValue } from 'lightning/uiRecordApi';",
    );
    expect(result.text).toContain('NavigationMixin');
  });

  it('ranks components for a free-text need', async () => {
    const result = await server.call('explore_lbc_components', { need: 'a sortable table with inline edit' });
    expect(result.isError, result.text).toBeFalsy();
    const { components } = result.structuredContent as unknown as Structured;
    expect(components[0]?.tag).toBe('lightning-datatable');
    expect(result.text).toMatch(/^Best matches for "a sortable table with inline edit": lightning-datatable/);
    const photo = await server.call('explore_lbc_components', { need: 'the user photo' });
    expect((photo.structuredContent as unknown as Structured).components[0]?.tag).toBe('lightning-avatar');
    const modal = await server.call('explore_lbc_components', { need: 'a modal dialog' });
    expect(modal.isError, modal.text).toBeFalsy();
    expect(modal.text).toMatch(
      /^A modal dialog is LightningModal \(import LightningModal from 'lightning\/modal'/,
    );
    const lookup = await server.call('explore_lbc_components', { need: 'lookup to pick a record' });
    expect((lookup.structuredContent as unknown as Structured).components[0]?.tag).toBe(
      'lightning-record-picker',
    );
  });

  it('names unknown components and suggests close names, next to the known ones', async () => {
    const result = await server.call('explore_lbc_components', { names: ['buton', 'card', 'zzzqqq'] });
    expect(result.isError, result.text).toBeFalsy();
    const { components, unknown } = result.structuredContent as unknown as Structured;
    expect(components.map((component) => component.tag)).toEqual(['lightning-card']);
    expect(unknown).toEqual([
      { name: 'buton', suggestions: ['lightning-button'] },
      { name: 'zzzqqq', suggestions: [] },
    ]);
    expect(result.text).toMatch(/^Unknown: buton — close names: lightning-button$/m);
    expect(result.text).toMatch(/Slots: title, actions, footer, default/);
  });

  it('gives for every catalogue component an example the LWC template compiler accepts', async () => {
    const { default: compile } = await import('@lwc/template-compiler');
    const { lbcCatalog } = await import('../../src/lib/lbc-catalog.js');
    const tags = (await lbcCatalog()).map((component) => component.tag);
    expect(tags.length).toBe(81);
    let checked = 0;
    for (let start = 0; start < tags.length; start += 30) {
      const result = await server.call('explore_lbc_components', { names: tags.slice(start, start + 30) });
      expect(result.isError, result.text).toBeFalsy();
      for (const [, html] of result.text.matchAll(/```html\n([\s\S]*?)\n```/g)) {
        const compiled = compile(`<template>\n${html}\n</template>`, 'example.html', {});
        expect(
          compiled.warnings.filter((warning: { level: number }) => warning.level <= 1),
          html,
        ).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(65);
  });

  it('fails clearly when nothing is known, when no argument is given, and on huge input', async () => {
    const none = await server.call('explore_lbc_components', { names: ['tabel-grid-x'] });
    expect(none.isError).toBe(true);
    expect(none.text).toMatch(/^No such Lightning base component: tabel-grid-x/);
    const empty = await server.call('explore_lbc_components', {});
    expect(empty.isError).toBe(true);
    expect(empty.text).toMatch(/Give names .* or need/);
    const emptyList = await server.call('explore_lbc_components', { names: [] });
    expect(emptyList.isError).toBe(true);
    const huge = await server.call('explore_lbc_components', { names: ['x'.repeat(100_000)] });
    expect(huge.isError).toBe(true);
    expect(huge.text.length).toBeLessThan(600);
  });
});
