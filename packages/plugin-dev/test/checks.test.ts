import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiVersion, definePlugin, defineTool, z } from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  TABLE_END,
  TABLE_START,
  checkReadmeToolTable,
  checkToolSnapshots,
  renderToolTable,
  toolSnapshot,
} from '../src/index.js';

const hello = defineTool({
  name: 'say_hello',
  title: 'Say hello',
  description: 'Says hello | politely.',
  input: z.object({ name: z.string().max(50), times: z.number().int().optional() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  handler: async ({ name }) => ({ text: `hello ${name}` }),
});
const exportThings = defineTool({
  name: 'export_things',
  title: 'Export things',
  description: 'Writes a file.',
  input: z.object({}),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  changesOrg: false,
  release: 'preview',
  needsOrg: false,
  handler: async () => ({ text: 'done' }),
});
const plugin = definePlugin({
  toolset: 'hello',
  description: 'Hello.',
  apiVersion,
  tools: [hello, exportThings],
});

describe('checkToolSnapshots', () => {
  it('says on a first run how to write the snapshots, and writes them on update', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'snaps-')), '__toolsnaps__');
    expect(checkToolSnapshots({ plugin, dir, update: false })).toEqual([
      expect.stringMatching(
        /^say_hello: no snapshot yet \(first run, or a new tool\): write it with UPDATE_TOOLSNAPS=1 and commit .*say_hello\.json$/,
      ),
      expect.stringMatching(/^export_things: no snapshot yet/),
    ]);
    expect(checkToolSnapshots({ plugin, dir, update: true })).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['export_things.json', 'say_hello.json']);
    expect(readFileSync(join(dir, 'say_hello.json'), 'utf8')).toBe(toolSnapshot(hello));
    expect(checkToolSnapshots({ plugin, dir, update: false })).toEqual([]);
  });

  it('reports a changed definition and a snapshot of a tool that is gone; update removes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snaps-'));
    checkToolSnapshots({ plugin, dir, update: true });
    writeFileSync(join(dir, 'say_hello.json'), '{}\n');
    writeFileSync(join(dir, 'gone_tool.json'), '{}\n');
    expect(checkToolSnapshots({ plugin, dir, update: false })).toEqual([
      expect.stringMatching(
        /say_hello: its published definition changed \(accept with UPDATE_TOOLSNAPS=1, and add a changeset\)/,
      ),
      'gone_tool.json: snapshot of a tool that no longer exists',
    ]);
    expect(checkToolSnapshots({ plugin, dir, update: true })).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['export_things.json', 'say_hello.json']);
  });

  it('keeps sorted JSON of what the tool publishes, with its release and org needs', () => {
    const snapshot = JSON.parse(toolSnapshot(exportThings));
    expect(Object.keys(snapshot)).toEqual([...Object.keys(snapshot)].sort());
    expect(snapshot).toMatchObject({
      name: 'export_things',
      release: 'preview',
      needsOrg: false,
      changesOrg: false,
    });
  });
});

describe('checkReadmeToolTable', () => {
  it('renders the table from the definitions', () => {
    expect(renderToolTable(plugin.tools).split('\n')).toEqual([
      TABLE_START,
      '| Tool | What it does | Inputs | Kind |',
      '| --- | --- | --- | --- |',
      '| `say_hello` | Says hello \\| politely. | `name`, `times?` | read-only, GA |',
      '| `export_things` | Writes a file. | — | writes local files, preview |',
      TABLE_END,
    ]);
  });

  it('finds a missing or stale table and regenerates a stale one', () => {
    const readme = join(mkdtempSync(join(tmpdir(), 'readme-')), 'README.md');
    writeFileSync(readme, '# x\n');
    expect(checkReadmeToolTable({ tools: plugin.tools, readme, update: false })[0]).toMatch(
      /no generated tools table/,
    );
    writeFileSync(readme, `# x\n\n${TABLE_START}\nold\n${TABLE_END}\n\nmore\n`);
    expect(checkReadmeToolTable({ tools: plugin.tools, readme, update: false })[0]).toMatch(/stale/);
    expect(checkReadmeToolTable({ tools: plugin.tools, readme, update: true })).toEqual([]);
    expect(readFileSync(readme, 'utf8')).toBe(`# x\n\n${renderToolTable(plugin.tools)}\n\nmore\n`);
    expect(checkReadmeToolTable({ tools: plugin.tools, readme, update: false })).toEqual([]);
  });
});
