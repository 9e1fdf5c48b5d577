/**
 * Lookups over the metadata registry: a type by name, the component a zip path belongs to, and
 * the parent of a child type (CustomField → CustomObject).
 */
import { METADATA_REGISTRY, type MetadataLayout } from './registry.js';

export interface MetadataType {
  xmlName: string;
  directoryName: string;
  suffix: string;
  inFolder: boolean;
  metaFile: boolean;
  layout: MetadataLayout;
  children: ChildType[];
}

export interface ChildType {
  xmlName: string;
  /** The element that holds one child in the parent's file (`fields`, `labels`). */
  element: string;
  /** Member names are the child's own name (CustomLabel), not `Parent.Child`. */
  ignoreParentName: boolean;
  parent: MetadataType;
}

const byName = new Map<string, MetadataType>();
const byDirectory = new Map<string, MetadataType[]>();
const childByName = new Map<string, ChildType>();

for (const [xmlName, directoryName, suffix, inFolder, metaFile, layout, children] of METADATA_REGISTRY) {
  // A plain file with child types (Workflow, SharingRules, AssignmentRules...) is a parent document too.
  const effectiveLayout: MetadataLayout =
    layout === 'file' && (children?.length ?? 0) > 0 ? 'parent' : layout;
  const type: MetadataType = {
    xmlName,
    directoryName,
    suffix,
    inFolder: inFolder === 1,
    metaFile: metaFile === 1,
    layout: effectiveLayout,
    children: [],
  };
  for (const [childName, element, ignoreParentName] of children ?? []) {
    const child: ChildType = {
      xmlName: childName,
      element,
      ignoreParentName: ignoreParentName === 1,
      parent: type,
    };
    type.children.push(child);
    childByName.set(childName.toLowerCase(), child);
  }
  byName.set(xmlName.toLowerCase(), type);
  const sameDirectory = byDirectory.get(directoryName.toLowerCase()) ?? [];
  sameDirectory.push(type);
  byDirectory.set(directoryName.toLowerCase(), sameDirectory);
}

export function allMetadataTypes(): MetadataType[] {
  return [...byName.values()];
}

export function metadataType(name: string): MetadataType | undefined {
  return byName.get(name.toLowerCase());
}

export function childType(name: string): ChildType | undefined {
  return childByName.get(name.toLowerCase());
}

export interface ComponentAddress {
  type: MetadataType;
  fullName: string;
  /** A folder's own metadata file (`reports/Sales-meta.xml`). */
  isFolder: boolean;
}

function stripMeta(name: string): { name: string; isMeta: boolean } {
  return name.endsWith('-meta.xml')
    ? { name: name.slice(0, -'-meta.xml'.length), isMeta: true }
    : { name, isMeta: false };
}

function stripSuffix(name: string, suffix: string): string {
  if (suffix && name.toLowerCase().endsWith(`.${suffix.toLowerCase()}`))
    return name.slice(0, -(suffix.length + 1));
  return name;
}

/**
 * Types whose components live inside a component of another type (SDR's `folderType` on a type that is
 * not inFolder): `territory2Models/<model>/territories/<name>.territory2`, full name `<model>.<name>`;
 * the holder itself is `territory2Models/<model>/<model>.territory2Model`.
 */
export const NESTED_IN: Readonly<Record<string, string>> = {
  Territory2: 'Territory2Model',
  Territory2Model: 'Territory2Model',
  Territory2Rule: 'Territory2Model',
};

function nestedComponent(directory: string, rest: string[]): ComponentAddress | undefined {
  if (rest.length === 2) {
    const holder = byName.get((NESTED_IN.Territory2Model ?? '').toLowerCase());
    const [name, file] = rest as [string, string];
    if (holder && holder.directoryName.toLowerCase() === directory.toLowerCase())
      return {
        type: holder,
        fullName: stripSuffix(stripMeta(file).name, holder.suffix) || name,
        isFolder: false,
      };
    return undefined;
  }
  if (rest.length !== 3) return undefined;
  const [holder, childDirectory, file] = rest as [string, string, string];
  for (const [childName, parentName] of Object.entries(NESTED_IN)) {
    const child = byName.get(childName.toLowerCase());
    const parent = byName.get(parentName.toLowerCase());
    if (!child || !parent || child === parent) continue;
    if (parent.directoryName.toLowerCase() !== directory.toLowerCase()) continue;
    if (child.directoryName.toLowerCase() !== childDirectory.toLowerCase()) continue;
    return {
      type: child,
      fullName: `${holder}.${stripSuffix(stripMeta(file).name, child.suffix)}`,
      isFolder: false,
    };
  }
  return undefined;
}

/** The component a file of a metadata-format zip belongs to (path relative to the package root). */
export function componentForPath(path: string): ComponentAddress | undefined {
  const [directory, ...rest] = path.split('/');
  if (!directory || rest.length === 0) return undefined;
  const nested = nestedComponent(directory, rest);
  if (nested) return nested;
  const candidates = byDirectory.get(directory.toLowerCase());
  if (!candidates || candidates.length === 0) return undefined;
  const fileName = rest[rest.length - 1] ?? '';
  const type =
    candidates.length === 1
      ? candidates[0]
      : (candidates.find(
          (candidate) =>
            candidate.suffix &&
            stripMeta(fileName).name.toLowerCase().endsWith(`.${candidate.suffix.toLowerCase()}`),
        ) ?? candidates[0]);
  if (!type) return undefined;
  if (type.inFolder) {
    if (rest.length === 1) {
      const { name, isMeta } = stripMeta(rest[0] ?? '');
      if (!isMeta) return undefined;
      return { type, fullName: name, isFolder: true };
    }
    const joined = rest.join('/');
    const { name } = stripMeta(joined);
    // A document keeps its own extension (`Shared/logo.png`); package.xml names it without (`Shared/logo`).
    if (type.xmlName === 'Document')
      return { type, fullName: name.replace(/(\/[^/]+)\.[^./]+$/, '$1'), isFolder: false };
    return { type, fullName: stripSuffix(name, type.suffix), isFolder: false };
  }
  if (type.layout === 'mixed' && !type.suffix && rest.length === 1) {
    // SDR's mixedContent adapter names the meta file of a type without a suffix after its content
    // folder and the folder's own extension: `experiences/My_Site1.site-meta.xml` for `experiences/My_Site1/`.
    return { type, fullName: stripMeta(rest[0] ?? '').name.replace(/\.[^.]+$/, ''), isFolder: false };
  }
  if (type.layout === 'bundle' || (type.layout === 'mixed' && rest.length > 1)) {
    const first = stripMeta(rest[0] ?? '').name;
    if (rest.length > 1) return { type, fullName: first, isFolder: false };
    return {
      type,
      fullName: type.suffix ? stripSuffix(first, type.suffix) : first.replace(/\.[^.]+$/, ''),
      isFolder: false,
    };
  }
  const { name } = stripMeta(rest.join('/'));
  return { type, fullName: stripSuffix(name, type.suffix), isFolder: false };
}

const FOLDER_TYPES: Record<string, string> = {
  Dashboard: 'DashboardFolder',
  Document: 'DocumentFolder',
  EmailTemplate: 'EmailFolder',
  Report: 'ReportFolder',
};

/** The type a folder of an inFolder type is reported as (`ReportFolder` for a folder of reports). */
export function folderTypeName(type: MetadataType): string {
  return FOLDER_TYPES[type.xmlName] ?? `${type.xmlName}Folder`;
}

/** Where a component's main file goes in a metadata-format zip. */
export function mainFilePath(type: MetadataType, fullName: string): string {
  return `${type.directoryName}/${fullName}${type.suffix ? `.${type.suffix}` : ''}`;
}
