import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_TOPICS, OFFICIAL_GUIDE_TOOLS } from '../../src/guides/index.js';
import { getLwcGuide } from '../../src/tools/get_lwc_guide.js';
import { cleanUp, serveTools } from '../helpers.js';

interface Structured {
  topic: string;
  resource: string;
  sections: string[];
}

describe('get_lwc_guide', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serveTools([getLwcGuide]);
  });
  afterAll(async () => {
    await server?.close();
    cleanUp();
  });
  const call = async (args: Record<string, unknown>) => {
    const result = await server.call('get_lwc_guide', args);
    return { ...result, data: result.structuredContent as unknown as Structured };
  };

  it('returns each guide by its topic', async () => {
    for (const topic of GUIDE_TOPICS) {
      const result = await call({ topic });
      expect(result.isError, `${topic}: ${result.text}`).toBeFalsy();
      expect(result.text).toMatch(/^# \S/);
      expect(result.text.length).toBeGreaterThan(1500);
      expect(result.data).toMatchObject({ topic, resource: `sfmcp://lwc/${topic}` });
    }
    const lds = await call({ topic: 'lds' });
    expect(lds.text).toContain('notifyRecordUpdateAvailable');
  });

  it('publishes a small schema: our topics as an enum, the official arguments unlisted', async () => {
    const { tools } = await server.client.listTools();
    const guide = tools.find((tool) => tool.name === 'get_lwc_guide')!;
    const properties = guide.inputSchema.properties as Record<string, unknown>;
    expect(Object.keys(properties)).toEqual(['topic', 'section']);
    expect(JSON.stringify(guide).length).toBeLessThan(900);
  });

  it('answers every @salesforce/mcp guide tool name it replaces, with the official arguments', async () => {
    for (const [name, topic] of Object.entries(OFFICIAL_GUIDE_TOOLS)) {
      const result = await call({ topic: name });
      expect(result.isError, `${name}: ${result.text}`).toBeFalsy();
      expect(result.data.topic).toBe(topic);
      expect(result.text).toContain(`${name} is answered by the ${topic} guide.`);
    }
    const consistency = await call({ topic: 'guide_lds_data_consistency', mode: 'analysis' });
    expect(consistency.data.sections).toEqual(['Lightning Data Service and UI API', 'Data consistency']);
    expect(consistency.text).toMatch(/Mode analysis: review the code/);
    expect(consistency.text).toMatch(/Other sections of this guide: .*Referential integrity/);
    const images = await call({ topic: 'guide_component_accessibility', hasImages: true, mode: 'fix' });
    expect(images.text).toMatch(/Images are present/);
    expect(images.text).toMatch(/Mode fix: apply this guide/);
    const prd = await call({
      topic: 'create_lwc_component_from_prd',
      prd: 'A card that shows the account rating.',
    });
    expect(prd.text).toMatch(/A PRD was given \(37 characters\)/);
    const draft = await call({ topic: 'enhance_aura_blueprint_draft', draftPrd: '# Draft' });
    expect(draft.text).toMatch(/A draft PRD was given .*completeness check/);
  });

  it('answers explore_lds_uiapi by adapter name, kind and group', async () => {
    const two = await call({ topic: 'explore_lds_uiapi', names: ['getRecord', 'getPicklistValues'] });
    expect(two.data.sections).toEqual([
      'UI API wire adapters and functions (reference)',
      'getRecord',
      'getPicklistValues',
    ]);
    expect(two.text).toContain('Module: `lightning/uiObjectInfoApi`');
    const lists = await call({ topic: 'explore_lds_uiapi', type: 'adapter-api', subtype: 'lists' });
    expect(lists.data.sections.slice(1)).toEqual([
      'getRelatedListRecords',
      'getListInfoByName',
      'getListRecordsByName',
      'getListUi',
    ]);
    const types = await call({ topic: 'explore_lds_uiapi', type: 'uiapi-type' });
    expect(types.data.sections.slice(1)).toEqual([
      'RecordRepresentation',
      'ObjectInfoRepresentation',
      'ListRecordCollection',
    ]);
    const unknown = await call({ topic: 'explore_lds_uiapi', names: ['getEverything'] });
    expect(unknown.isError).toBeFalsy();
    expect(unknown.text).toMatch(/Not in the reference: getEverything\. Available: .*getRecord/);
  });

  it("keeps guide_slds_styling's own topic argument when an alias names the tool with officialTool", async () => {
    const colors = await call({ officialTool: 'guide_slds_styling', topic: 'colors' });
    expect(colors.isError, colors.text).toBeFalsy();
    expect(colors.data.sections).toEqual(['Styling LWC with SLDS styling hooks', 'Colors']);
    const overview = await call({ officialTool: 'guide_slds_styling' });
    expect(overview.data.topic).toBe('styling');
    expect(overview.data.sections.length).toBeGreaterThan(5);
    const wrong = await call({ officialTool: 'guide_nothing' });
    expect(wrong.isError).toBe(true);
  });

  it('narrows to a section, and says which sections exist when there is none', async () => {
    const colors = await call({ topic: 'styling', section: 'colors' });
    expect(colors.data.sections).toEqual(['Styling LWC with SLDS styling hooks', 'Colors']);
    const none = await call({ topic: 'styling', section: 'animations' });
    expect(none.isError).toBe(true);
    expect(none.text).toMatch(
      /The styling guide has no section "animations"\.\nIts sections: Overview; Colors; Spacing/,
    );
  });

  it('refuses an unknown topic with the list of topics', async () => {
    const result = await call({ topic: 'guide_everything' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /^No LWC guide "guide_everything"\.\nTopics: development, best-practices, lds,/,
    );
    const missing = await call({});
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^topic is required\.\nTopics: development,/);
    const badMode = await call({ topic: 'guide_lwc_development', mode: 'repair' });
    expect(badMode.isError).toBe(true);
    expect(badMode.text).toMatch(/^Invalid argument mode:/);
    const hugePrd = await call({ topic: 'create_lwc_component_from_prd', prd: 'p'.repeat(300_000) });
    expect(hugePrd.isError).toBe(true);
    expect(hugePrd.text.length).toBeLessThan(600);
    const huge = await call({ topic: 'x'.repeat(10_000) });
    expect(huge.isError).toBe(true);
    expect(huge.text.length).toBeLessThan(600);
  });
});
