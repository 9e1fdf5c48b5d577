import { lstat, readFile, readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { type DxProject, ToolError, excerpt, z } from '@sfmcp/plugin-api';

/** A Lightning Web Component or Aura bundle: its name and its files by path inside the bundle folder. */
export interface Bundle {
  kind: BundleKind;
  name: string;
  /** Absolute folder in the project; absent when the files came with the call. */
  dir?: string;
  /** The folder relative to the project root, with '/' separators. */
  relativeDir?: string;
  /** File path inside the bundle ('hello.js', '__tests__/hello.test.js') → content. */
  files: Map<string, string>;
}

export type BundleKind = 'lwc' | 'aura';

const MAX_FILES = 200;
const MAX_FILE_BYTES = 1_000_000;

/** @salesforce/mcp's `files`: file name → content, or that object as a JSON string. */
export const filesArgument = z
  .union([
    z.record(z.string().max(300), z.string().max(MAX_FILE_BYTES)),
    z.string().max(MAX_FILES * MAX_FILE_BYTES),
  ])
  .describe('file name → content, or that as JSON');

const MAX_BUNDLES = 500;
/** Folders never searched for bundles: tools' own state, dependencies, version control. */
const SKIPPED = new Set(['node_modules', '.git', '.sfdx', '.sf', '.sfmcp', 'coverage', '.localdevserver']);

/** LWC folder names: camelCase from a lower-case letter (Salesforce's rule); Aura: any letter first. */
const NAME = { lwc: /^[a-z][A-Za-z0-9_]{0,79}$/, aura: /^[A-Za-z][A-Za-z0-9_]{0,79}$/ } as const;

export function checkBundleName(kind: BundleKind, name: string): string {
  const trimmed = name.trim();
  if (!NAME[kind].test(trimmed) || trimmed.includes('__') || trimmed.endsWith('_'))
    throw new ToolError(
      `${JSON.stringify(excerpt(name))} is not a valid ${kind === 'lwc' ? 'Lightning Web Component' : 'Aura component'} name.`,
      kind === 'lwc'
        ? 'Use camelCase starting with a lower-case letter (helloWorld), letters, digits and single underscores.'
        : 'Use a letter first, then letters, digits and single underscores.',
      { kind: 'invalid' },
    );
  return trimmed;
}

/**
 * The `files` argument as a map, checked: relative names without '..', at most 200 files of 1 MB. Undefined
 * when not given.
 */
export function parseFiles(value: unknown): Map<string, string> | undefined {
  if (value === undefined) return undefined;
  let record: unknown = value;
  if (typeof value === 'string') {
    try {
      record = JSON.parse(value);
    } catch (error) {
      throw new ToolError(
        `files is not valid JSON: ${(error as Error).message}`,
        'Pass an object of file name → content.',
        { kind: 'invalid' },
      );
    }
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw new ToolError('files must be an object of file name → content.', undefined, {
      kind: 'invalid',
    });
  const entries = Object.entries(record as Record<string, unknown>);
  if (entries.length > MAX_FILES)
    throw new ToolError(`files has ${entries.length} entries; at most ${MAX_FILES}.`, undefined, {
      kind: 'invalid',
    });
  const files = new Map<string, string>();
  for (const [rawName, content] of entries) {
    const name = rawName.replaceAll('\\', '/').replace(/^\.\//, '');
    if (
      !name ||
      name.startsWith('/') ||
      /^[A-Za-z]:/.test(name) ||
      name.split('/').some((part) => part === '..' || part === '') ||
      name.includes('\0')
    )
      throw new ToolError(
        `files: ${JSON.stringify(excerpt(rawName))} is not a file name inside the bundle.`,
        'Use names such as "myComponent.js" or "__tests__/myComponent.test.js".',
        { kind: 'invalid' },
      );
    if (typeof content !== 'string')
      throw new ToolError(`files: the content of ${name} must be a string.`, undefined, {
        kind: 'invalid',
      });
    if (Buffer.byteLength(content) > MAX_FILE_BYTES)
      throw new ToolError(`files: ${name} is over 1 MB.`, undefined, { kind: 'invalid' });
    files.set(name, content);
  }
  return files;
}

function isBundleFolder(kind: BundleKind, dir: string, entries: readonly string[]): boolean {
  const name = basename(dir);
  if (kind === 'lwc')
    return (
      entries.includes(`${name}.js`) || entries.includes(`${name}.ts`) || entries.includes(`${name}.html`)
    );
  return (
    entries.includes(`${name}.cmp`) || entries.includes(`${name}.app`) || entries.includes(`${name}.evt`)
  );
}

async function entriesOf(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Every bundle folder at or under `dir` (absolute), never following links; at most 500. */
async function collectBundles(kind: BundleKind, dir: string, found: string[], depth = 0): Promise<void> {
  if (found.length >= MAX_BUNDLES || depth > 12) return;
  const entries = await entriesOf(dir);
  if (isBundleFolder(kind, dir, entries) && (basename(join(dir, '..')) === kind || depth === 0)) {
    found.push(dir);
    return;
  }
  for (const entry of entries.sort()) {
    if (SKIPPED.has(entry) || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    const stat = await lstat(path).catch(() => undefined);
    if (stat?.isDirectory()) await collectBundles(kind, path, found, depth + 1);
  }
}

/**
 * The bundle folders a path names: a bundle folder itself, a file in one, or a folder holding bundles (an
 * `lwc` folder, a package directory). Relative to the project root; checked to stay inside it.
 */
export async function bundlesAt(project: DxProject, kind: BundleKind, path: string): Promise<string[]> {
  const absolute = project.resolve(path);
  const stat = await lstat(absolute).catch(() => undefined);
  if (!stat)
    throw new ToolError(`${JSON.stringify(excerpt(path))} does not exist in the project.`, undefined, {
      kind: 'not-found',
    });
  const start = stat.isDirectory() ? absolute : join(absolute, '..');
  const found: string[] = [];
  await collectBundles(kind, start, found);
  if (!found.length)
    throw new ToolError(
      `No ${kind === 'lwc' ? 'Lightning Web Component' : 'Aura'} bundle at ${JSON.stringify(excerpt(path))}.`,
      kind === 'lwc'
        ? 'Give a bundle folder (force-app/main/default/lwc/myComponent), an lwc folder or a package directory.'
        : 'Give a bundle folder (force-app/main/default/aura/myComponent) or an aura folder.',
      { kind: 'not-found' },
    );
  return found;
}

/** The folder of the bundle named `name` in the project's package directories. */
export async function findBundle(project: DxProject, kind: BundleKind, name: string): Promise<string> {
  const checked = checkBundleName(kind, name);
  const matches: string[] = [];
  for (const packageDir of project.packageDirectories) {
    const found: string[] = [];
    await collectBundles(kind, packageDir, found, 1);
    matches.push(...found.filter((dir) => basename(dir) === checked));
  }
  if (!matches.length)
    throw new ToolError(
      `No ${kind === 'lwc' ? 'Lightning Web Component' : 'Aura component'} named ${checked} in the project's package directories.`,
      'Check the name (it is case-sensitive), or pass its folder as path.',
      { kind: 'not-found' },
    );
  if (matches.length > 1)
    throw new ToolError(
      `${checked} is in more than one package directory: ${matches.map((dir) => relative(project.root, dir)).join(', ')}.`,
      'Pass the folder you mean as path.',
      { kind: 'invalid' },
    );
  return matches[0]!;
}

/** Reads a bundle folder's files (its __tests__ too), skipping links; at most 200 files of 1 MB. */
export async function readBundle(project: DxProject, kind: BundleKind, dir: string): Promise<Bundle> {
  const files = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of (await entriesOf(folder)).sort()) {
      const path = join(folder, entry);
      const stat = await lstat(path).catch(() => undefined);
      if (!stat || stat.isSymbolicLink()) continue;
      if (stat.isDirectory()) {
        if (!SKIPPED.has(entry)) await walk(path);
        continue;
      }
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) continue;
      if (files.size >= MAX_FILES)
        throw new ToolError(`${relative(project.root, dir)} has over ${MAX_FILES} files.`, undefined, {
          kind: 'invalid',
        });
      files.set(relative(dir, path).split(sep).join('/'), await readFile(path, 'utf8'));
    }
  };
  await walk(dir);
  return {
    kind,
    name: basename(dir),
    dir,
    relativeDir: relative(project.root, dir).split(sep).join('/'),
    files,
  };
}

/**
 * The one bundle a call names: its `files` when given (named by componentName), else the bundle at `path`, else
 * the one named componentName in the project.
 */
export async function loadBundle(
  ctx: { project(directory?: string): Promise<DxProject> },
  kind: BundleKind,
  args: { componentName?: string; path?: string; files?: unknown },
): Promise<Bundle> {
  const files = parseFiles(args.files);
  if (files) {
    const name =
      args.componentName !== undefined
        ? checkBundleName(kind, args.componentName)
        : inferName(kind, [...files.keys()]);
    return { kind, name, files };
  }
  const project = await ctx.project();
  if (args.path !== undefined) {
    const dirs = await bundlesAt(project, kind, args.path);
    if (dirs.length > 1)
      throw new ToolError(
        `${JSON.stringify(excerpt(args.path))} holds ${dirs.length} bundles; this tool takes one.`,
        'Pass one bundle folder.',
        { kind: 'invalid' },
      );
    return readBundle(project, kind, dirs[0]!);
  }
  if (args.componentName === undefined)
    throw new ToolError('Name the component: componentName, path or files.', undefined, {
      kind: 'invalid',
    });
  return readBundle(project, kind, await findBundle(project, kind, args.componentName));
}

function inferName(kind: BundleKind, names: readonly string[]): string {
  const suffix = kind === 'lwc' ? /^([^/]+)\.(js|ts|html)$/ : /^([^/]+)\.(cmp|app|evt)$/;
  const found = new Set(names.map((name) => suffix.exec(name)?.[1]).filter((name) => name !== undefined));
  if (found.size !== 1)
    throw new ToolError('Give componentName: the files do not name one component.', undefined, {
      kind: 'invalid',
    });
  return checkBundleName(kind, [...found][0]!);
}

/**
 * Writes a new bundle's files into `relativeDir` (relative to the project root) all or nothing: every path is
 * refused if it exists or passes a link, and a failure part-way removes what this call wrote. Returns the
 * project-relative paths written.
 */
export async function writeNewBundle(
  project: DxProject,
  relativeDir: string,
  files: ReadonlyMap<string, string>,
): Promise<string[]> {
  const targets = [...files.keys()].map((name) => `${relativeDir}/${name}`);
  for (const target of targets) {
    const stat = await lstat(project.resolve(target)).catch(() => undefined);
    if (stat)
      throw new ToolError(`${target} already exists; nothing was written.`, 'Choose another name.', {
        kind: 'invalid',
      });
  }
  const written: string[] = [];
  try {
    for (const [name, content] of files) {
      await project.writeFile(`${relativeDir}/${name}`, content);
      written.push(`${relativeDir}/${name}`);
    }
  } catch (error) {
    for (const path of written.reverse()) await project.removeFile(path).catch(() => undefined);
    throw error;
  }
  return written;
}
