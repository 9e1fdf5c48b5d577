import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { type TestServer, createTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_TOPICS, guidePrompts, guideResources } from '../src/guides/index.js';
import { getLwcGuide } from '../src/tools/get_lwc_guide.js';

describe('the guides as MCP resources and prompts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer({
      plugins: [
        definePlugin({
          toolset: 'lwc-experts',
          description: 'LWC guides under test.',
          apiVersion,
          tools: [getLwcGuide],
          resources: guideResources,
          prompts: guidePrompts,
        }),
      ],
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists a markdown resource per topic, and every one reads non-empty', async () => {
    const { resources } = await server.client.listResources();
    const ours = resources.filter((resource) => resource.uri.startsWith('sfmcp://lwc/'));
    expect(ours.map((resource) => resource.uri).sort()).toEqual(
      GUIDE_TOPICS.map((topic) => `sfmcp://lwc/${topic}`).sort(),
    );
    for (const resource of ours) {
      expect(resource.mimeType).toBe('text/markdown');
      const read = await server.client.readResource({ uri: resource.uri });
      const content = read.contents[0] as { text?: string; mimeType?: string };
      expect(content.mimeType).toBe('text/markdown');
      expect(content.text?.startsWith('# '), resource.uri).toBe(true);
      const lines = content.text!.split('\n').length;
      expect(lines, resource.uri).toBeGreaterThan(40);
      expect(lines, resource.uri).toBeLessThan(200);
    }
  });

  it('names only tools that exist in this toolset or sfmcp, in the guides and prompts', async () => {
    const known = new Set([
      'create_lwc_component',
      'validate_lwc_component',
      'reference_lwc_compilation_error',
      'create_lwc_jest_tests',
      'run_lwc_jest_tests',
      'explore_lbc_components',
      'explore_slds_styling',
      'explore_slds_blueprints',
      'create_aura_blueprint_draft',
      'orchestrate_aura_migration',
      'get_lwc_guide',
      'deploy_metadata',
    ]);
    const texts = await Promise.all(guideResources.map(async (resource) => String(await resource.read())));
    const prompts = await Promise.all(
      guidePrompts.map(async (prompt) =>
        String(await prompt.render({ componentName: 'x', requirements: 'y' })),
      ),
    );
    for (const text of [...texts, ...prompts]) {
      for (const match of text.matchAll(/`?\b([a-z]+(?:_[a-z0-9]+){1,5})\b`?/g)) {
        const name = match[1]!;
        if (
          /^(create|validate|run|explore|orchestrate|get|deploy|reference)_/.test(name) &&
          /lwc|lbc|slds|aura|metadata|compilation/.test(name)
        )
          expect(known.has(name), name).toBe(true);
      }
    }
  });

  it('renders the three prompts with their arguments', async () => {
    const { prompts } = await server.client.listPrompts();
    expect(prompts.map((prompt) => prompt.name).sort()).toEqual([
      'create_lwc_component',
      'migrate_aura_component',
      'optimize_lwc_component',
    ]);
    const create = await server.client.getPrompt({
      name: 'create_lwc_component',
      arguments: { requirements: 'Show the open cases of the account', name: 'openCases' },
    });
    const createText = (create.messages[0]!.content as { text: string }).text;
    expect(createText).toMatch(
      /^Create a Lightning Web Component named openCases that does this:\n\nShow the open cases/,
    );
    expect(createText.indexOf('explore_lbc_components')).toBeLessThan(
      createText.indexOf('create_lwc_component with'),
    );
    expect(createText.indexOf('validate_lwc_component')).toBeLessThan(
      createText.indexOf('run_lwc_jest_tests'),
    );
    expect(createText.indexOf('run_lwc_jest_tests')).toBeLessThan(createText.indexOf('deploy_metadata'));
    const optimize = await server.client.getPrompt({
      name: 'optimize_lwc_component',
      arguments: { componentName: 'orderList' },
    });
    expect((optimize.messages[0]!.content as { text: string }).text).toMatch(
      /validate_lwc_component for orderList/,
    );
    const migrate = await server.client.getPrompt({
      name: 'migrate_aura_component',
      arguments: { componentName: 'OldCard' },
    });
    const migrateText = (migrate.messages[0]!.content as { text: string }).text;
    expect(migrateText.indexOf('create_aura_blueprint_draft for OldCard')).toBeLessThan(
      migrateText.indexOf('orchestrate_aura_migration'),
    );
  });
});
