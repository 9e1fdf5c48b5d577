import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exploreSldsStyling } from '../../src/tools/explore_slds_styling.js';
import { cleanUp, serveTools } from '../helpers.js';

interface Structured {
  matched: number;
  hooks: { name: string; value: string; replacement?: string }[];
  unknown: string[];
}

describe('explore_slds_styling (sds-metadata and design-system hooks)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serveTools([exploreSldsStyling], undefined, ['--allow-non-ga-tools']);
  });
  afterAll(async () => {
    await server?.close();
    cleanUp();
  });
  const call = async (args: Record<string, unknown>) => {
    const result = await server.call('explore_slds_styling', args);
    return { ...result, data: result.structuredContent as unknown as Structured };
  };

  it('gives an overview of the catalogue when called without arguments', async () => {
    const result = await call({});
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toMatch(/^SLDS styling hooks \(.+\): \d{3,} current, \d{3,} deprecated\./);
    expect(result.text).toMatch(/^global\/color \| \d+$/m);
  });

  it('looks hooks up by name, says which are deprecated and what replaces them, suggests for typos', async () => {
    const result = await call({
      hooks: [
        '--slds-g-spacing-4',
        '--slds-g-color-border-base-2',
        '--sds-c-button-color-background',
        '--slds-g-colr-accent-1',
      ],
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.data.hooks).toContainEqual({ name: '--slds-g-spacing-4', value: '1rem' });
    expect(result.data.hooks).toContainEqual({
      name: '--sds-c-button-color-background',
      value: '',
      replacement: '--slds-c-button-color-background',
    });
    expect(result.text).toMatch(
      /--slds-g-color-border-base-2 \| #aeaeae \| deprecated → --slds-g-color-\S+ \(same value #aeaeae\)/,
    );
    expect(result.data.unknown).toEqual(['--slds-g-colr-accent-1']);
    expect(result.text).toMatch(/Unknown hook --slds-g-colr-accent-1; close: --slds-g-color-accent-1/);
  });

  it('answers which hook to use for a raw value (hex, rem, px)', async () => {
    const hex = await call({ search: '#0176D3' });
    expect(hex.text).toMatch(/^Value #0176D3: use var\(--slds-g-color-/);
    expect(hex.data.hooks.map((hook) => hook.name)).toContain('--slds-g-color-brand-base-50');
    const rem = await call({ search: '0.5rem' });
    expect(rem.data.hooks.slice(0, 3).map((hook) => hook.name)).toEqual([
      '--slds-g-spacing-2',
      '--slds-g-sizing-3',
      '--slds-g-radius-border-3',
    ]);
    const px = await call({ search: '8px' });
    expect(px.data.hooks[0]?.name).toBe('--slds-g-spacing-2');
    const rgb = await call({ search: 'rgb(1, 118, 211)' });
    expect(rgb.data.hooks.map((hook) => hook.name)).toContain('--slds-g-color-brand-base-50');
    const none = await call({ search: '#123457' });
    expect(none.text).toMatch(/No styling hook has the value #123457/);
  });

  it('maps an old --lwc-* design token to its hook', async () => {
    const result = await call({ hooks: ['--lwc-brandPrimary'] });
    expect(result.text).toMatch(/--lwc-brandPrimary is an SLDS 1 design token: use --slds-g-color-accent-1/);
  });

  it('filters by prefix, wildcard, fuzzy words, category, subcategory and type, at each detail level', async () => {
    const prefix = await call({ prefix: '--slds-g-color-accent-', detail_level: 'full' });
    expect(prefix.data.hooks.every((hook) => hook.name.startsWith('--slds-g-color-accent-'))).toBe(true);
    expect(prefix.text).toMatch(
      /^hook \| value \| category \| subcategory \| type \| properties \| note \| scope \| slds2/m,
    );
    const wildcard = await call({ search: '--slds-g-spacing-*', detail_level: 'detailed' });
    expect(wildcard.data.hooks.every((hook) => hook.name.startsWith('--slds-g-spacing-'))).toBe(true);
    expect(wildcard.text).toMatch(
      /^hook \| value \| category \| subcategory \| type \| properties \| note$/m,
    );
    const words = await call({ search: 'surface container' });
    expect(words.data.hooks.map((hook) => hook.name)).toContain('--slds-g-color-surface-container-1');
    const weights = await call({ type: 'font-weight' });
    expect(weights.data.hooks.map((hook) => hook.name)).toContain('--slds-g-font-weight-bold');
    const palette = await call({ category: 'color', subcategory: 'palette' });
    expect(palette.data.matched).toBeGreaterThan(50);
    expect(palette.data.hooks.every((hook) => hook.name.includes('-palette-'))).toBe(true);
    const radius = await call({ category: 'border', prefix: '--slds-g-' });
    expect(radius.data.hooks.map((hook) => hook.name)).toContain('--slds-g-radius-border-2');
  });

  it('fails clearly when nothing matches or an argument is out of its enum', async () => {
    const none = await call({ search: 'zzqqzz' });
    expect(none.isError).toBe(true);
    expect(none.text).toMatch(/^No styling hook matches\./);
    const bad = await call({ category: 'colour' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/category/);
  });
});
