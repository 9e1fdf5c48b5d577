import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { type DxProject, ToolError, toToolError } from '@sfmcp/plugin-api';
import { HINTS } from './hints.js';

/** What the model may pass to pick components: source paths, a manifest, metadata names. */
export interface Selection {
  sourceDir?: string[] | undefined;
  manifest?: string | undefined;
  metadata?: string[] | undefined;
  /** destructiveChanges.xml: deleted after the additions. */
  destructiveChanges?: string | undefined;
}

export function hasSelection(selection: Selection): boolean {
  return Boolean(
    selection.sourceDir?.length ||
    selection.manifest ||
    selection.metadata?.length ||
    selection.destructiveChanges,
  );
}

/** Resolves a path the model passed inside the project; refuses it when it is outside or missing. */
export function existingPath(project: DxProject, path: string, what: string): string {
  const absolute = project.resolve(path);
  if (!existsSync(absolute)) {
    throw new ToolError(
      `The ${what} ${JSON.stringify(path)} does not exist in the project (${project.root}).`,
      'Pass a path relative to the project root.',
    );
  }
  return absolute;
}

export function relativeToProject(project: DxProject, path: string | undefined): string | undefined {
  if (!path) return undefined;
  const rel = relative(project.root, path);
  return rel.startsWith('..') ? path : rel;
}

const EMPTY_PACKAGE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n</Package>\n';

/** Builds the component set for a selection; every path stays inside the project. */
export async function buildComponentSet(project: DxProject, selection: Selection): Promise<ComponentSet> {
  if (selection.sourceDir?.length && selection.manifest) {
    throw new ToolError('Pass sourceDir or manifest, not both.');
  }
  const sourcepath = selection.sourceDir?.map((path) => existingPath(project, path, 'source path'));
  let manifestPath = selection.manifest ? existingPath(project, selection.manifest, 'manifest') : undefined;
  const destructive = selection.destructiveChanges
    ? existingPath(project, selection.destructiveChanges, 'destructive changes file')
    : undefined;
  if (destructive && !manifestPath) {
    // Deletions alone: an empty package.xml beside them, as `sf project deploy start --post-destructive-changes` does.
    const dir = await mkdtemp(join(tmpdir(), 'sfmcp-destructive-'));
    manifestPath = join(dir, 'package.xml');
    await writeFile(manifestPath, EMPTY_PACKAGE);
  }
  const { ComponentSetBuilder } = await import('@salesforce/source-deploy-retrieve');
  // Package directories not created yet (a clean project) hold nothing to resolve against.
  const directoryPaths = project.packageDirectories.filter((path) => existsSync(path));
  try {
    return await ComponentSetBuilder.build({
      projectDir: project.root,
      ...(project.sourceApiVersion ? { sourceapiversion: project.sourceApiVersion } : {}),
      ...(sourcepath?.length ? { sourcepath } : {}),
      ...(manifestPath
        ? {
            manifest: {
              manifestPath,
              directoryPaths,
              ...(destructive ? { destructiveChangesPost: destructive } : {}),
            },
          }
        : {}),
      ...(selection.metadata?.length
        ? { metadata: { metadataEntries: selection.metadata, directoryPaths } }
        : {}),
    });
  } catch (error) {
    throw toToolError(error, {
      hints: HINTS,
      hint: 'Check the paths and metadata names (Type:Name, e.g. ApexClass:InvoiceService).',
      wrapOthers: true,
    });
  }
}

/** `Type:Name` members a destructiveChanges file names, for the preview. */
export function destructiveMembers(xml: string): string[] {
  const members: string[] = [];
  for (const block of xml.matchAll(/<types>([\s\S]*?)<\/types>/g)) {
    const body = block[1] ?? '';
    const type = /<name>([^<]+)<\/name>/.exec(body)?.[1]?.trim() ?? '?';
    for (const member of body.matchAll(/<members>([^<]+)<\/members>/g))
      members.push(`${type}:${member[1]?.trim()}`);
  }
  return members;
}
