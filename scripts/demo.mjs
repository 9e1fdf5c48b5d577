#!/usr/bin/env node
// The main job: start sfmcp and drive it with the MCP SDK's client in a short scripted session,
// printing each call and its result. No Salesforce org needed. Run it with ./run demo.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { demoSteps } from './demo-steps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const color = process.stdout.isTTY ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;
const heading = (text) => console.log(`\n${color('1;36', '## ' + text)}`);

// A throwaway HOME: the demo never reads or writes your own sf CLI state.
const home = mkdtempSync(join(tmpdir(), 'sfmcp-demo-'));
// A step file may prepare something first (e.g. a temporary DX project) and return extra server flags.
const preparedArgs = (await demoSteps.prepare?.()) ?? [];
const args = [
  join(root, 'apps/sfmcp/bin/sfmcp.js'),
  '--plugin',
  join(root, 'examples/sfmcp-plugin-example'),
  // ./paths are the repository's: --project-dir (set by a prepare step) would otherwise be their base.
  ...[...demoSteps.serverArgs, ...preparedArgs].map((arg) => (arg.startsWith('./') ? join(root, arg) : arg)),
];

heading(`Starting: sfmcp ${args.slice(1).join(' ')}`);
const transport = new StdioClientTransport({
  command: process.execPath,
  args,
  // NODE_NO_WARNINGS: the local org speaks plain http on loopback, which @salesforce/core warns about.
  env: { ...process.env, HOME: home, SF_DISABLE_LOG_FILE: 'true', NODE_NO_WARNINGS: '1' },
  cwd: root,
  stderr: 'pipe',
});
// When the server says its local org is up: most of a --local-org start is the local org's own.
let localOrgUp;
transport.stderr?.on('data', (chunk) => {
  if (localOrgUp === undefined && /\blocal org \(/.test(String(chunk))) localOrgUp = performance.now();
  process.stderr.write(color('2', String(chunk)));
});
const client = new Client({ name: 'sfmcp-demo', version: '1.0.0' });
const started = performance.now();
await client.connect(transport);
const { tools } = await client.listTools();
const since = (time) => (time - started).toFixed(0);
console.log(
  `ready in ${since(performance.now())} ms${localOrgUp === undefined ? '' : ` (its local org was up at ${since(localOrgUp)} ms)`}; ${tools.length} tools: ${tools.map((tool) => tool.name).join(', ')}`,
);

for (const step of demoSteps.steps) {
  heading(step.title);
  const args = typeof step.args === 'function' ? step.args(demoSteps.memory) : step.args;
  console.log(color('33', `→ ${step.tool}(${JSON.stringify(args)})`));
  const result = await client.callTool({ name: step.tool, arguments: args });
  const text = result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
  console.log(
    (result.isError ? color('31', '← (isError) ') : color('32', '← ')) + text.split('\n').join('\n  '),
  );
  step.after?.(result, text, demoSteps.memory);
}

await client.close();
heading('Done');
console.log(`Next, a real org of yours:
  sf org login web --alias my-sandbox
  npx sfmcp doctor --orgs my-sandbox --client claude-code   # or claude-desktop, cursor, vscode, windsurf, cline
It checks the login, the project and the rest, and prints the configuration for your MCP client.`);
