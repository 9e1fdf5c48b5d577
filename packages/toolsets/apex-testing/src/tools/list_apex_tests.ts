import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  ToolError,
  cursorArgument,
  defineTool,
  pageWithinBudget,
  toolResult,
  z,
  salesforceCall,
} from '@sfmcp/plugin-api';
import { describeTestClass, mayHoldTests } from '../lib/apex-source.js';
import { HINTS } from '../lib/hints.js';

const testClass = z.object({
  name: z.string(),
  testMethods: z.array(z.string()),
  inProject: z.boolean(),
  inOrg: z.boolean(),
  /** Project-relative path of the .cls file. */
  path: z.string().optional(),
});

type TestClass = z.infer<typeof testClass>;

const SKIPPED_FOLDERS = new Set(['node_modules', '.sfdx', '.sf', '.git']);

async function classFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.cls'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.split(/[\\/]/).some((part) => SKIPPED_FOLDERS.has(part)))
    .sort();
}

function rowText(entry: TestClass): string {
  const where = entry.inProject && entry.inOrg ? 'project, org' : entry.inProject ? 'project' : 'org';
  return `${entry.name} | ${where} | ${entry.testMethods.join(', ')}`;
}

export const listApexTests = defineTool({
  name: 'list_apex_tests',
  title: 'List Apex test classes',
  description:
    'Lists Apex test classes and their test methods, from the DX project (parsed .cls files) and from the org, saying where each is. Use the names with run_apex_test.',
  input: z.object({
    source: z.enum(['both', 'project', 'org']).default('both').describe('Where to look; default both'),
    cursor: cursorArgument.describe('From a previous result, to continue the list'),
  }),
  output: z.object({
    classes: z.array(testClass),
    projectFiles: z.number().optional(),
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const source = input.source;
    const byName = new Map<string, TestClass>();
    const notes: string[] = [];
    let projectFiles: number | undefined;
    let projectRoot: string | undefined;

    if (source !== 'org') {
      const project = await ctx.project().catch((error: unknown) => {
        if (source === 'project') throw error;
        notes.push('No DX project to read: listed the org only.');
        return undefined;
      });
      if (project) {
        projectRoot = project.root;
        const files = (await Promise.all(project.packageDirectories.map(classFiles))).flat();
        projectFiles = files.length;
        for (const file of files) {
          if (ctx.signal.aborted) throw new ToolError('Cancelled by the client.');
          const facts = await describeTestClass(await readFile(file, 'utf8'));
          if (!facts) continue;
          byName.set(facts.name.toLowerCase(), {
            name: facts.name,
            testMethods: facts.testMethods,
            inProject: true,
            inOrg: false,
            path: relative(project.root, file).split('\\').join('/'),
          });
        }
      }
    }

    const org = source !== 'project' ? await ctx.org() : undefined;
    if (org) {
      const result = await salesforceCall(
        async () =>
          org.connection.tooling.query<{ Name: string; NamespacePrefix: string | null; Body: string | null }>(
            'SELECT Name, NamespacePrefix, Body FROM ApexClass ORDER BY Name',
            { autoFetch: true, maxFetch: 100_000 },
          ),
        { hints: HINTS },
      );
      for (const record of result.records) {
        if (!record.Body || !mayHoldTests(record.Body)) continue;
        const facts = await describeTestClass(record.Body);
        if (!facts) continue;
        const name = record.NamespacePrefix ? `${record.NamespacePrefix}.${facts.name}` : facts.name;
        const existing = byName.get(name.toLowerCase());
        if (existing) existing.inOrg = true;
        else
          byName.set(name.toLowerCase(), {
            name,
            testMethods: facts.testMethods,
            inProject: false,
            inOrg: true,
          });
      }
    }

    const classes = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = pageWithinBudget(ctx, classes, {
      cursor: input.cursor,
      binding: { ...(org ? { org: org.username } : {}), listing: { source, project: projectRoot } },
      sizeOf: (entry) => Buffer.byteLength(rowText(entry)) + JSON.stringify(entry).length,
    });
    const { offset, nextCursor } = page;
    const methods = classes.reduce((sum, entry) => sum + entry.testMethods.length, 0);
    const lines = [
      `${classes.length} Apex test classes, ${methods} test methods` +
        (projectFiles !== undefined ? ` (${projectFiles} .cls files read in the project)` : '') +
        '.',
      ...notes,
    ];
    if (page.items.length) {
      lines.push('', 'class | where | test methods', '--- | --- | ---', ...page.items.map(rowText));
    }
    if (nextCursor) {
      lines.push(
        '',
        `Showing ${offset + 1}-${offset + page.items.length} of ${classes.length}. Continue with cursor: "${nextCursor}".`,
      );
    }
    return toolResult({
      text: lines.join('\n'),
      structured: {
        classes: page.items,
        ...(projectFiles !== undefined ? { projectFiles } : {}),
        ...(nextCursor ? { nextCursor } : {}),
      },
      ...(org ? { org } : {}),
    });
  },
});
