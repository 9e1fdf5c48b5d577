/**
 * How each MCP client is told to start sfmcp: its configuration file, keys and command. One source for
 * `sfmcp doctor --client` and the README's set-up section (a test keeps the README equal to this).
 */

export const CLIENT_IDS = ['claude-code', 'claude-desktop', 'cursor', 'vscode', 'windsurf', 'cline'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

interface ClientSetup {
  name: string;
  /** Where the configuration goes. */
  where: string;
  /** The snippet for these sfmcp arguments. */
  snippet(args: readonly string[]): { language: 'sh' | 'json'; text: string };
  /** How to see that sfmcp's tools are there. */
  confirm: string;
}

/** JSON as Prettier prints it: objects open, short arrays on one line (so the README stays formatted). */
function json(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /\[\n\s*([^[\]{}]*?)\n\s*\]/g,
    (_all, items: string) => `[${items.split(/,\n\s*/).join(', ')}]`,
  );
}

const mcpServers = (args: readonly string[]) =>
  json({ mcpServers: { sfmcp: { command: 'npx', args: ['-y', 'sfmcp', ...args] } } });

const CLIENTS: Record<ClientId, ClientSetup> = {
  'claude-code': {
    name: 'Claude Code',
    where: 'a terminal (add `--scope project` to share it through the project’s `.mcp.json`)',
    snippet: (args) => ({ language: 'sh', text: `claude mcp add sfmcp -- npx -y sfmcp ${args.join(' ')}` }),
    confirm: '`claude mcp list` shows sfmcp connected; in a session, `/mcp` lists its tools.',
  },
  'claude-desktop': {
    name: 'Claude Desktop',
    where:
      '`claude_desktop_config.json` (Settings → Developer → Edit Config; macOS `~/Library/Application Support/Claude/`, Windows `%APPDATA%\\Claude\\`)',
    snippet: (args) => ({ language: 'json', text: mcpServers(args) }),
    confirm:
      'restart Claude Desktop; sfmcp appears under the tools button (“Search and tools”) with its tools.',
  },
  cursor: {
    name: 'Cursor',
    where: '`.cursor/mcp.json` in the project, or `~/.cursor/mcp.json` for every project',
    snippet: (args) => ({ language: 'json', text: mcpServers(args) }),
    confirm: 'Cursor Settings → MCP shows sfmcp with a green dot and its tools.',
  },
  vscode: {
    name: 'VS Code (Copilot agent mode)',
    where: '`.vscode/mcp.json` in the workspace (or “MCP: Add Server” in the command palette)',
    snippet: (args) => ({
      language: 'json',
      text: json({ servers: { sfmcp: { type: 'stdio', command: 'npx', args: ['-y', 'sfmcp', ...args] } } }),
    }),
    confirm:
      'run “MCP: List Servers” (sfmcp: Running); in Chat, agent mode, the tools button lists its tools.',
  },
  windsurf: {
    name: 'Windsurf',
    where: '`~/.codeium/windsurf/mcp_config.json` (Cascade → MCP servers → Configure)',
    snippet: (args) => ({ language: 'json', text: mcpServers(args) }),
    confirm: 'press Refresh in Cascade’s MCP servers panel; sfmcp shows its tool count.',
  },
  cline: {
    name: 'Cline',
    where: '`cline_mcp_settings.json` (Cline → MCP Servers → Installed → Configure MCP Servers)',
    snippet: (args) => ({ language: 'json', text: mcpServers(args) }),
    confirm: 'Cline’s MCP Servers → Installed shows sfmcp with a green dot and its tools.',
  },
};

export function isClientId(value: string): value is ClientId {
  return (CLIENT_IDS as readonly string[]).includes(value);
}

export function clientName(client: ClientId): string {
  return CLIENTS[client].name;
}

/** The client's set-up, as Markdown: where it goes, the snippet, how to confirm. */
export function clientSetup(client: ClientId, args: readonly string[]): string {
  const setup = CLIENTS[client];
  const { language, text } = setup.snippet(args);
  return `In ${setup.where}:\n\n\`\`\`${language}\n${text}\n\`\`\`\n\nThen ${setup.confirm}`;
}

/**
 * The README's set-up section: every client, started read-only on one pinned alias (`DEFAULT_TARGET_ORG`
 * follows whatever default was last set in any terminal; an alias does not).
 */
export const README_ARGS = ['--orgs', 'my-sandbox', '--read-only'] as const;

export function clientSetupMarkdown(): string {
  return CLIENT_IDS.map((client) => `### ${clientName(client)}\n\n${clientSetup(client, README_ARGS)}`).join(
    '\n\n',
  );
}
