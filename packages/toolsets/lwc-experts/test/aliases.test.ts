import { createTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

// @salesforce/mcp's guidance tools, called by their own names on a server with this toolset: answered by
// get_lwc_guide through the plugin's aliases, without being listed.
describe("@salesforce/mcp's guide tools, by their own names", () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer({
      plugins: [plugin],
      args: ['--toolsets', 'lwc-experts', '--allow-non-ga-tools'],
    });
  });
  afterAll(() => server?.close());

  it('are not listed, and answer with the guide they stand for', async () => {
    const names = (await server.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('get_lwc_guide');
    expect(names).not.toContain('guide_lws_security');
    const security = await server.call('guide_lws_security', {});
    expect(security.isError, security.text).toBeFalsy();
    expect(security.text).toContain('# Lightning Web Security (LWS)');
    // Their own arguments are accepted: guide_slds_styling's topic picks the section.
    const colors = await server.call('guide_slds_styling', { topic: 'colors' });
    expect(colors.isError, colors.text).toBeFalsy();
    expect(colors.text).toContain('## Colors');
    expect(colors.text).not.toContain('## Spacing');
    const accessibility = await server.call('guide_component_accessibility', { hasImages: true });
    expect(accessibility.isError, accessibility.text).toBeFalsy();
  });

  it('leave the names of our own tools to those tools', async () => {
    const enhanced = await server.call('enhance_aura_blueprint_draft', {
      draftPrd: 'aura:if and $A.enqueueAction',
    });
    expect(enhanced.isError, enhanced.text).toBeFalsy();
    expect(enhanced.text).not.toMatch(/^# /);
  });
});
