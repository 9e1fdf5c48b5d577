import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoSeed, generateVolume } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import plugin from '../../src/index.js';

function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfmcp-data-export-'));
  writeFileSync(
    join(dir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }),
  );
  mkdirSync(join(dir, 'force-app'));
  return dir;
}

/** Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += char;
  }
  return rows;
}

let server: LocalOrgTestServer;
let project: string;

beforeAll(async () => {
  project = makeProject();
  server = await createLocalOrgTestServer({
    plugins: [plugin],
    seed: demoSeed(),
    args: ['--project-dir', project, '--allow-non-ga-tools'],
  });
  generateVolume('Account', 5000, { org: server.org.state });
  server.org.state.records.insert('Account', { Name: 'Smith, "Junior"\nand Sons', Industry: 'Retail' });
});
afterAll(async () => {
  await server?.close();
});

describe('export_records', () => {
  it('exports every page to a CSV in the project, with progress after each page', async () => {
    const total = [...server.org.state.records.rows('Account')].length;
    const progress: number[] = [];
    const result = await server.client.callTool(
      {
        name: 'export_records',
        arguments: {
          query: 'SELECT Id, Name, Owner.Name, Industry FROM Account ORDER BY Id',
          outputFile: 'exports/accounts.csv',
        },
      },
      undefined,
      { onprogress: (event) => progress.push(event.progress) },
    );
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      file: join('exports', 'accounts.csv'),
      rows: total,
      totalSize: total,
      columns: ['Id', 'Name', 'Owner.Name', 'Industry'],
    });
    expect(progress.length).toBe(Math.ceil(total / 2000));
    expect(progress.at(-1)).toBe(total);
    const csv = parseCsv(readFileSync(join(project, 'exports', 'accounts.csv'), 'utf8'));
    expect(csv[0]).toEqual(['Id', 'Name', 'Owner.Name', 'Industry']);
    expect(csv).toHaveLength(total + 1);
    expect(csv.find((row) => row[1]!.startsWith('Smith'))).toEqual([
      expect.any(String),
      'Smith, "Junior"\nand Sons',
      expect.any(String),
      'Retail',
    ]);
    expect(new Set(csv.slice(1).map((row) => row[0])).size).toBe(total);
    expect(readdirSync(join(project, 'exports'))).toEqual(['accounts.csv']);
  });

  it('refuses to overwrite a file unless asked, and paths outside the project', async () => {
    writeFileSync(join(project, 'keep.csv'), 'precious');
    const refused = await server.call('export_records', {
      query: 'SELECT Id FROM Account LIMIT 3',
      outputFile: 'keep.csv',
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('Refused: keep.csv already exists');
    expect(readFileSync(join(project, 'keep.csv'), 'utf8')).toBe('precious');
    const replaced = await server.call('export_records', {
      query: 'SELECT Id FROM Account LIMIT 3',
      outputFile: 'keep.csv',
      overwrite: true,
    });
    expect(replaced.isError, replaced.text).toBeFalsy();
    expect(parseCsv(readFileSync(join(project, 'keep.csv'), 'utf8'))).toHaveLength(4);

    const outside = await server.call('export_records', {
      query: 'SELECT Id FROM Account',
      outputFile: '../escape.csv',
    });
    expect(outside.isError).toBe(true);
    expect(existsSync(join(project, '..', 'escape.csv'))).toBe(false);
  });

  it('reports a bad query before writing anything', async () => {
    const result = await server.call('export_records', {
      query: 'SELECT Id, Nmae FROM Account',
      outputFile: 'bad.csv',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Did you mean: Name\b/);
    expect(existsSync(join(project, 'bad.csv'))).toBe(false);
    expect(existsSync(join(project, 'bad.csv.partial'))).toBe(false);
  });

  it('stops on cancel and leaves no file behind', async () => {
    const controller = new AbortController();
    const call = server.client.callTool(
      {
        name: 'export_records',
        arguments: { query: 'SELECT Id, Name FROM Account', outputFile: 'cancelled.csv' },
      },
      undefined,
      { signal: controller.signal, onprogress: () => controller.abort() },
    );
    await expect(call).rejects.toThrow();
    // The handler notices the cancellation at its next page and cleans up.
    await vi.waitFor(() => {
      expect(readdirSync(project).filter((name) => name.startsWith('cancelled'))).toEqual([]);
    });
    // And the server is still serving, with the same org.
    const after = await server.call('run_soql_query', { query: 'SELECT COUNT() FROM Account' });
    expect(after.isError, after.text).toBeFalsy();
    expect(readdirSync(project).filter((name) => name.startsWith('cancelled'))).toEqual([]);
  });

  it('never writes through a symlink planted in the project, and writes nothing outside', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'sfmcp-outside-'));
    // main wrote through a planted <target>.partial link; now the temporary file is exclusive and random.
    symlinkSync(join(outside, 'stolen.csv'), join(project, 'planted.csv.partial'));
    const planted = await server.call('export_records', {
      query: 'SELECT Id FROM Account LIMIT 2',
      outputFile: 'planted.csv',
    });
    expect(planted.isError, planted.text).toBeFalsy();
    expect(readFileSync(join(project, 'planted.csv'), 'utf8')).toMatch(/^Id\r\n/);
    // A folder link on the way, and a dangling link at the target itself.
    symlinkSync(outside, join(project, 'linked-folder'));
    symlinkSync(join(outside, 'dangling.csv'), join(project, 'dangling.csv'));
    for (const outputFile of ['linked-folder/x.csv', 'dangling.csv']) {
      const refused = await server.call('export_records', {
        query: 'SELECT Id FROM Account LIMIT 2',
        outputFile,
        overwrite: true,
      });
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(/^Refused: .* is a symbolic link/);
    }
    expect(readdirSync(outside)).toEqual([]);
  });

  it('answers a file name over 255 bytes with a clear error, and the next call works', async () => {
    const long = await server.call('export_records', {
      query: 'SELECT Id FROM Account LIMIT 2',
      outputFile: `${'x'.repeat(300)}.csv`,
    });
    expect(long.isError).toBe(true);
    expect(long.text).toMatch(/^The path is not usable: a file or folder name in it is over 255 bytes\./);
    const nul = await server.call('export_records', {
      query: 'SELECT Id FROM Account LIMIT 2',
      outputFile: 'a\u0000b.csv',
    });
    expect(nul.text).toMatch(/NUL or control character/);
    expect(nul.text).not.toContain(project);
    const next = await server.call('export_records', {
      query: 'SELECT Id FROM Account LIMIT 2',
      outputFile: 'after.csv',
    });
    expect(next.isError, next.text).toBeFalsy();
  });

  it('refuses an org outside the allowlist', async () => {
    const result = await server.call('export_records', {
      query: 'SELECT Id FROM Account',
      outputFile: 'other.csv',
      usernameOrAlias: 'other-org',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('other-org');
    expect(existsSync(join(project, 'other.csv'))).toBe(false);
  });
});

describe('export_records on a production org', () => {
  it('exports (it changes nothing in the org), where a tool that changes records is refused', async () => {
    const dir = makeProject();
    const production = await createLocalOrgTestServer({
      plugins: [plugin],
      seed: {
        ...demoSeed(),
        organization: { Name: 'Prod', OrganizationType: 'Enterprise Edition', IsSandbox: false },
      },
      args: ['--project-dir', dir, '--allow-non-ga-tools'],
    });
    try {
      const result = await production.call('export_records', {
        query: 'SELECT Id, Name FROM Account',
        outputFile: 'prod.csv',
      });
      expect(result.isError, result.text).toBeFalsy();
      expect(result.text).toMatch(/^Org: local-test .*\nExported \d+ rows/);
      expect(existsSync(join(dir, 'prod.csv'))).toBe(true);
    } finally {
      await production.close();
    }
  });
});
