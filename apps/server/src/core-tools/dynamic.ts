import { type AnyTool, ToolError, defineTool, formatTable, toolResult, z } from '@sfmcp/plugin-api';
import type { RegisteredTool } from '../registry.js';
import type { Runtime } from '../runtime.js';

/**
 * --dynamic-tools: the session starts with the core tools only, and the model enables what it needs.
 * Names follow @salesforce/mcp's dynamic mode (list_tools, enable_tools).
 */
export function createDynamicTools(
  runtime: Runtime,
  enabled: Map<string, RegisteredTool>,
  notify: () => Promise<void>,
): AnyTool[] {
  const listTools = defineTool({
    name: 'list_tools',
    title: 'List toolsets and tools',
    description: 'Lists the toolsets and tools this server can enable, and which are enabled.',
    input: z.object({ toolset: z.string().optional().describe('Only this toolset') }),
    output: z.object({
      tools: z.array(
        z.object({ name: z.string(), toolset: z.string(), enabled: z.boolean(), description: z.string() }),
      ),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    release: 'ga',
    needsOrg: false,
    async handler({ toolset }) {
      const tools = runtime.selected
        .filter((entry) => !toolset || entry.toolset === toolset)
        .map(({ tool, toolset: owner }) => ({
          name: tool.name,
          toolset: owner,
          enabled: enabled.has(tool.name),
          description: tool.description,
        }));
      return toolResult({
        text: formatTable(tools, ['toolset', 'name', 'enabled', 'description']),
        structured: { tools },
      });
    },
  });

  const enableTools = defineTool({
    name: 'enable_tools',
    title: 'Enable toolsets or tools',
    description: 'Enables whole toolsets and/or single tools for this session; the tool list then changes.',
    input: z.object({
      toolsets: z.array(z.string()).optional().describe('Toolset names'),
      tools: z.array(z.string()).optional().describe('Tool names'),
    }),
    output: z.object({ enabled: z.array(z.string()) }),
    // Changes only this session's tool list, never an org.
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    release: 'ga',
    needsOrg: false,
    async handler({ toolsets = [], tools = [] }) {
      if (!toolsets.length && !tools.length)
        throw new ToolError('Name at least one toolset or tool.', 'Call list_tools to see them.');
      const available = new Map(runtime.selected.map((entry) => [entry.tool.name, entry]));
      const availableToolsets = new Set(runtime.selected.map((entry) => entry.toolset));
      const unknown = [
        ...toolsets.filter((name) => !availableToolsets.has(name)).map((name) => `toolset ${name}`),
        ...tools.filter((name) => !available.has(name)).map((name) => `tool ${name}`),
      ];
      if (unknown.length) {
        throw new ToolError(
          `Not available here: ${unknown.join(', ')}.`,
          `Available toolsets: ${[...availableToolsets].join(', ') || 'none'}.`,
        );
      }
      const added: string[] = [];
      for (const entry of runtime.selected) {
        if (
          (toolsets.includes(entry.toolset) || tools.includes(entry.tool.name)) &&
          !enabled.has(entry.tool.name)
        ) {
          enabled.set(entry.tool.name, entry);
          added.push(entry.tool.name);
        }
      }
      if (added.length) await notify();
      return toolResult({
        text: added.length
          ? `Enabled ${added.length} tools: ${added.join(', ')}`
          : 'Everything named was already enabled.',
        structured: { enabled: added },
      });
    },
  });
  return [listTools, enableTools];
}
