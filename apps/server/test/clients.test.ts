// The README's client set-up section is generated from the same definitions `sfmcp doctor --client` prints,
// so a flag renamed later cannot leave a stale snippet. UPDATE_TOOLSNAPS=1 rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_IDS, README_ARGS, clientSetup, clientSetupMarkdown } from '../src/clients.js';
import { parseCli } from '../src/cli.js';

const README = new URL('../../../README.md', import.meta.url);
const START = /<!-- clients:start[^>]*-->\n/;
const END = '<!-- clients:end -->';

describe('client set-up', () => {
  it('the README holds every client’s snippet as generated', () => {
    const text = readFileSync(README, 'utf8');
    const start = START.exec(text);
    const end = text.indexOf(END);
    expect(start && end > start.index, 'README.md has the clients:start / clients:end markers').toBe(true);
    const from = start!.index + start![0].length;
    const wanted = `\n${clientSetupMarkdown()}\n\n`;
    if (process.env.UPDATE_TOOLSNAPS) writeFileSync(README, text.slice(0, from) + wanted + text.slice(end));
    else expect(text.slice(from, end)).toBe(wanted);
  });

  it('every snippet starts sfmcp with flags the command line accepts', () => {
    expect(parseCli([...README_ARGS])).toMatchObject({
      kind: 'serve',
      options: { orgs: ['my-sandbox'], readOnly: true },
    });
    for (const client of CLIENT_IDS) {
      const setup = clientSetup(client, README_ARGS);
      const command = /```sh\n.* -- npx -y sfmcp (.*)\n```/.exec(setup)?.[1];
      if (command) expect(command.split(' '), client).toEqual([...README_ARGS]);
      const json = /```json\n([\s\S]*?)\n```/.exec(setup)?.[1];
      if (json) {
        const config = JSON.parse(json) as Record<string, Record<string, { args: string[] }>>;
        const servers = config.mcpServers ?? config.servers;
        expect(servers?.sfmcp?.args, client).toEqual(['-y', 'sfmcp', ...README_ARGS]);
      }
      expect(Boolean(command) !== Boolean(json), `${client} has one snippet`).toBe(true);
    }
  });
});
