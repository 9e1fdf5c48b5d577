import type { MetadataType, SourceComponent, VirtualDirectory } from '@salesforce/source-deploy-retrieve';
import { ToolError, excerpt } from '@sfmcp/plugin-api';
import { checkRepoPath } from './git-refs.js';

/**
 * Which metadata component a repository file belongs to, for files that may exist only at a ref
 * (a work item branch, a promoted commit) and not on disk. The files are laid out in a virtual tree
 * and resolved by source-deploy-retrieve's own registry and resolver — no layout is hard-coded.
 * SDR is loaded on first use, never at start-up.
 */

export interface PathComponent {
  path: string;
  /** The metadata type (`ApexClass`), when the file belongs to a component. */
  type?: string;
  /** The component's full name (`Account.Region__c`). */
  fullName?: string;
  /** The package directory the file is in, as sfdx-project.json names it. */
  packageDirectory?: string;
}

export interface ComponentOptions {
  /**
   * Every file of the listing the paths come from (`listFiles(ref)`), so that a changed file is
   * resolved beside the files it belongs with (a bundle's `-meta.xml`). Defaults to the paths themselves.
   */
  files?: readonly string[];
}

export interface FindComponentOptions {
  /**
   * Reads a file of the listing (e.g. `path => repo.showFile(ref, path)`). Needed only for types kept
   * inside another component's file (CustomLabel in CustomLabels): with it, the result is the file
   * that really holds the component; without it, every file of the parent type in the listing.
   */
  read?: (path: string) => Promise<Buffer | undefined>;
}

type Sdr = typeof import('@salesforce/source-deploy-retrieve');

let sdr: Promise<Sdr> | undefined;

function loadSdr(): Promise<Sdr> {
  sdr ??= import('@salesforce/source-deploy-retrieve');
  return sdr;
}

function trimDirectory(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

/** The package directories normalised and validated: no absolute paths, no `..`. */
function checkPackageDirectories(packageDirectories: readonly string[]): string[] {
  return packageDirectories.map((directory) => checkRepoPath(trimDirectory(directory)));
}

/** The package directory holding `path` (the deepest, when one is inside another). */
function packageDirectoryOf(path: string, packageDirectories: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const directory of packageDirectories) {
    if (path.startsWith(`${directory}/`) && (!best || directory.length > best.length)) best = directory;
  }
  return best;
}

/** The virtual tree of a listing, as `VirtualTreeContainer.fromFilePaths` builds it, with data for `contents`. */
function virtualTree(
  files: readonly string[],
  contents: ReadonlyMap<string, Buffer> = new Map(),
): VirtualDirectory[] {
  const childrenByDirectory = new Map<string, Set<string>>();
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 0; i < parts.length - 1; i++) {
      const directory = parts.slice(0, i + 1).join('/');
      const children = childrenByDirectory.get(directory) ?? new Set<string>();
      children.add(parts[i + 1] ?? '');
      childrenByDirectory.set(directory, children);
    }
  }
  return [...childrenByDirectory].map(([dirPath, children]) => ({
    dirPath,
    children: [...children].map((name) => {
      const data = contents.get(`${dirPath}/${name}`);
      return data ? { name, data } : name;
    }),
  }));
}

/**
 * The component each path belongs to: `force-app/main/default/classes/A.cls` → ApexClass A,
 * `…/lwc/card/card.js` → LightningComponentBundle card, `…/objects/Account/fields/Region__c.field-meta.xml`
 * → CustomField Account.Region__c. A file outside the package directories, or one the registry does
 * not know (README.md), comes back without a type.
 */
export async function componentsForPaths(
  paths: readonly string[],
  packageDirectories: readonly string[],
  options: ComponentOptions = {},
): Promise<PathComponent[]> {
  for (const path of paths) checkRepoPath(path);
  const directories = checkPackageDirectories(packageDirectories);
  const inPackage = (path: string) => packageDirectoryOf(path, directories) !== undefined;
  const listing = [...new Set([...(options.files ?? []), ...paths])].filter(inPackage);
  if (listing.length === 0) return paths.map((path) => ({ path }));
  const { MetadataResolver, RegistryAccess, VirtualTreeContainer } = await loadSdr();
  const resolver = new MetadataResolver(
    new RegistryAccess(),
    new VirtualTreeContainer(virtualTree(listing)),
    false,
  );
  return paths.map((path): PathComponent => {
    const packageDirectory = packageDirectoryOf(path, directories);
    if (!packageDirectory) return { path };
    let component: SourceComponent | undefined;
    try {
      component = resolver.getComponentsFromPath(path)[0];
    } catch {
      // The registry has no type for this file (a README, a stray text file).
    }
    return component
      ? { path, type: component.type.name, fullName: component.fullName, packageDirectory }
      : { path, packageDirectory };
  });
}

/**
 * The package directory paths of an sfdx-project.json (read from disk or `git show`), the default
 * one first, each validated as a repository path.
 */
export function readPackageDirectories(sfdxProjectJson: string): string[] {
  let project: unknown;
  try {
    project = JSON.parse(sfdxProjectJson);
  } catch (error) {
    throw new ToolError(
      `sfdx-project.json is not valid JSON: ${excerpt(error instanceof Error ? error.message : String(error), 120)}`,
      'Fix the file in the repository, then try again.',
      { kind: 'invalid' },
    );
  }
  const entries = (project as { packageDirectories?: unknown } | null)?.packageDirectories;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new ToolError(
      'sfdx-project.json lists no packageDirectories.',
      'Add {"path": "force-app", "default": true}.',
      {
        kind: 'invalid',
      },
    );
  }
  const directories: Array<{ path: string; isDefault: boolean }> = [];
  for (const entry of entries as unknown[]) {
    const path = (entry as { path?: unknown } | null)?.path;
    if (typeof path !== 'string' || path.trim() === '') {
      throw new ToolError('sfdx-project.json has a package directory without a "path".', undefined, {
        kind: 'invalid',
      });
    }
    const trimmed = trimDirectory(path.trim());
    directories.push({
      path: checkRepoPath(trimmed),
      isDefault: (entry as { default?: unknown }).default === true,
    });
  }
  const ordered = [...directories.filter((d) => d.isDefault), ...directories.filter((d) => !d.isDefault)];
  return [...new Set(ordered.map((d) => d.path))];
}

function sameName(a: string, b: string): boolean {
  // API names are case-insensitive in the org.
  return a.toLowerCase() === b.toLowerCase();
}

/** A component's own files: its metadata file, its content (a bundle's every file), its children's. */
function filesOf(component: SourceComponent): string[] {
  const files = [component.xml, ...component.walkContent()].filter((file): file is string => Boolean(file));
  return files;
}

/** Every component of every package directory in the listing, children included. */
function allComponents(
  resolver: InstanceType<Sdr['MetadataResolver']>,
  roots: readonly string[],
): SourceComponent[] {
  const found: SourceComponent[] = [];
  const visit = (component: SourceComponent) => {
    found.push(component);
    if (component.type.children) for (const child of component.getChildren()) visit(child);
  };
  for (const root of roots) {
    let components: SourceComponent[] = [];
    try {
      components = resolver.getComponentsFromPath(root);
    } catch {
      // A directory of files the registry does not know: nothing to find there.
    }
    for (const component of components) visit(component);
  }
  return found;
}

function metadataType(registry: InstanceType<Sdr['RegistryAccess']>, type: string): MetadataType {
  try {
    return registry.getTypeByName(type);
  } catch {
    throw new ToolError(
      `${JSON.stringify(excerpt(type))} is not a metadata type source-deploy-retrieve knows.`,
      'Use the Metadata API name, e.g. ApexClass, CustomField, LightningComponentBundle.',
      { kind: 'invalid' },
    );
  }
}

/**
 * The files of `files` (a listing such as `listFiles('origin/WI-000001')`) that make up the component
 * `type`/`fullName` — resolved through the registry and the project's package directories. A parent's
 * files include its children's (a CustomObject's fields). A child named without its parent
 * (`CustomField` `Region__c`, as compile errors name fields) matches that child on every parent.
 * Empty when the listing does not have it.
 */
export async function findComponent(
  type: string,
  fullName: string,
  files: readonly string[],
  packageDirectories: readonly string[],
  options: FindComponentOptions = {},
): Promise<string[]> {
  const directories = checkPackageDirectories(packageDirectories);
  const listing = files.filter((file) => packageDirectoryOf(checkRepoPath(file), directories) !== undefined);
  const { MetadataResolver, RegistryAccess, VirtualTreeContainer } = await loadSdr();
  const registry = new RegistryAccess();
  const wanted = metadataType(registry, type);
  if (listing.length === 0) return [];
  const present = new Set(listing.map((file) => file.split('/')[0]));
  const roots = directories.filter((directory) => present.has(directory.split('/')[0]));
  const resolve = (contents?: ReadonlyMap<string, Buffer>) =>
    allComponents(
      new MetadataResolver(registry, new VirtualTreeContainer(virtualTree(listing, contents)), false),
      roots,
    );

  const parent = registry.getParentType(wanted.name);
  const insideParentFile = parent !== undefined && parent.strategies?.transformer === 'nonDecomposed';
  // A child named without its parent ("Region__c", as errors often name fields) matches it on any parent.
  const matchesName = (component: SourceComponent) =>
    sameName(component.fullName, fullName) ||
    (parent !== undefined &&
      !fullName.includes('.') &&
      sameName(component.fullName.split('.').at(-1) ?? '', fullName));
  if (!insideParentFile) {
    const matches = resolve().filter(
      (component) => component.type.name === wanted.name && matchesName(component),
    );
    return unique(matches.flatMap(filesOf));
  }

  // The component is an entry inside its parent's file: read the parent files to tell which holds it.
  const parentFiles = unique(
    resolve()
      .filter((c) => c.type.name === parent.name)
      .flatMap(filesOf),
  );
  if (!options.read) return parentFiles;
  const contents = new Map<string, Buffer>();
  for (const file of parentFiles) {
    const data = await options.read(file);
    if (data) contents.set(file, data);
  }
  const matches = resolve(contents).filter(
    (component) => component.type.name === wanted.name && sameName(component.fullName, fullName),
  );
  return unique(matches.flatMap((component) => (component.xml ? [component.xml] : [])));
}

function unique(files: readonly string[]): string[] {
  return [...new Set(files)];
}
