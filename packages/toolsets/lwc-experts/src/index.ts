import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { OFFICIAL_GUIDE_TOOLS, guidePrompts, guideResources } from './guides/index.js';
import { tools } from './tools/index.js';

export default definePlugin({
  toolset: 'lwc-experts',
  description:
    'Lightning Web Components with the real toolchain: scaffold, compile and lint, Jest tests, base components, SLDS, Aura to LWC; guides as resources.',
  apiVersion,
  tools,
  resources: guideResources,
  prompts: guidePrompts,
  // @salesforce/mcp's guidance tools, answered by get_lwc_guide without being listed. `officialTool` (not `topic`)
  // so that an official tool's own `topic` argument (guide_slds_styling's) still picks the section.
  // One that is a tool of ours (enhance_aura_blueprint_draft) is that tool, not a guide.
  aliases: Object.keys(OFFICIAL_GUIDE_TOOLS)
    .filter((name) => !tools.some((tool) => tool.name === name))
    .map((name) => ({ name, tool: 'get_lwc_guide', arguments: { officialTool: name } })),
});
