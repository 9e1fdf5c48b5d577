// The local org's metadata registry (src/metadata/registry.ts) checked against the registry of @salesforce/source-deploy-retrieve.
import { registry } from '@salesforce/source-deploy-retrieve';
import { describe, expect, it } from 'vitest';
import { METADATA_REGISTRY, type MetadataLayout } from '../src/metadata/registry.js';
import {
  allMetadataTypes,
  componentForPath,
  folderTypeName,
  NESTED_IN,
  metadataType,
  type MetadataType,
} from '../src/metadata/metadataTypes.js';

interface SdrType {
  id: string;
  name: string;
  directoryName: string;
  suffix?: string;
  inFolder?: boolean;
  folderType?: string;
  folderContentType?: string;
  strictDirectoryName?: boolean;
  ignoreParentName?: boolean;
  xmlElementName?: string;
  metaFileSuffix?: string;
  strategies?: { adapter?: string; transformer?: string; decomposition?: string };
  children?: { types: Record<string, SdrType> };
}

const sdrTypes = Object.values(registry.types) as unknown as SdrType[];
const sdrByName = new Map(sdrTypes.map((type) => [type.name, type]));
const sdrChildNames = new Set(
  sdrTypes.flatMap((type) => Object.values(type.children?.types ?? {}).map((child) => child.name)),
);
const sdrFolderTypeIds = new Set(sdrTypes.flatMap((type) => (type.folderType ? [type.folderType] : [])));

/**
 * How the local org lays a type's files out in a metadata-format zip, from SDR's adapter: a content file
 * with its -meta.xml (matchingContentFile), a content file or folder (mixedContent), a folder (bundle), a
 * document holding child types (decomposed, or a type with children), or one file (no adapter).
 */
function expectedLayout(type: SdrType): MetadataLayout {
  const adapter = type.strategies?.adapter;
  if (adapter === 'matchingContentFile') return 'content';
  if (adapter === 'mixedContent') return 'mixed';
  if (adapter === 'bundle' || adapter === 'uiBundles') return 'bundle';
  if (type.children) return 'parent';
  return 'file';
}

/**
 * What the local org's registry does not hold, because a metadata-format zip (all the local org reads and
 * writes) does not depend on it: SDR's strictDirectoryName (in metadata format every type is in its
 * directoryName), and a child type's own suffix and directoryName (in metadata format a child is an
 * element of its parent's file, and what the local org keeps is that element's name, checked below).
 *
 * Deliberate differences, each with its reason. A row here is a decision: the test fails when the
 * difference goes away, so the list cannot go stale.
 */
const DELIBERATE: Record<string, string> = {
  // SDR's digitalExperience adapter decomposes a DigitalExperienceBundle into DigitalExperience children,
  // in source format only; in a metadata-format zip the bundle is one folder, which is what the local org keeps.
  'DigitalExperienceBundle.layout': 'bundle',
};

function mismatches(local: MetadataType, sdr: SdrType): string[] {
  const found: string[] = [];
  const check = (what: string, actual: unknown, expected: unknown) => {
    const key = `${local.xmlName}.${what}`;
    if (key in DELIBERATE) {
      if (String(actual) !== DELIBERATE[key])
        found.push(`${key}: deliberate value ${DELIBERATE[key]} gone (now ${String(actual)})`);
      return;
    }
    if (actual !== expected)
      found.push(`${key}: local ${JSON.stringify(actual)}, SDR ${JSON.stringify(expected)}`);
  };
  check('xmlName', local.xmlName, sdr.name);
  check('directoryName', local.directoryName, sdr.directoryName);
  check('suffix', local.suffix, sdr.suffix ?? '');
  check('inFolder', local.inFolder, sdr.inFolder === true);
  // describeMetadata's metaFile: a content file with its own -meta.xml (a suffix-less mixed type has none of its own).
  const adapter = sdr.strategies?.adapter;
  check(
    'metaFile',
    local.metaFile,
    adapter === 'matchingContentFile' || (adapter === 'mixedContent' && Boolean(sdr.suffix)),
  );
  check('layout', local.layout, expectedLayout(sdr));
  const folder = sdr.folderType
    ? (registry.types[sdr.folderType as keyof typeof registry.types] as unknown as SdrType | undefined)
    : undefined;
  // An inFolder type's folders are components of the folder type; any other type with a folderType lives inside a component of it.
  if (sdr.inFolder) check('folderType', folderTypeName(local), folder?.name);
  else check('nestedIn', NESTED_IN[local.xmlName], folder?.name);
  const sdrChildren = Object.values(sdr.children?.types ?? {});
  check(
    'children',
    local.children
      .map((child) => child.xmlName)
      .sort()
      .join(','),
    sdrChildren
      .map((child) => child.name)
      .sort()
      .join(','),
  );
  for (const child of local.children) {
    const sdrChild = sdrChildren.find((candidate) => candidate.name === child.xmlName);
    if (!sdrChild) continue;
    // The element that holds the child in the parent's file: SDR's xmlElementName, else its directoryName.
    check(`${child.xmlName}.element`, child.element, sdrChild.xmlElementName ?? sdrChild.directoryName);
    check(`${child.xmlName}.ignoreParentName`, child.ignoreParentName, sdrChild.ignoreParentName === true);
  }
  return found;
}

describe('the local org metadata registry against source-deploy-retrieve', () => {
  it('lists each of its types as SDR does: names, folders, suffixes, folder types, layout and child types', () => {
    const found: string[] = [];
    for (const local of allMetadataTypes()) {
      const sdr = sdrByName.get(local.xmlName);
      if (!sdr) {
        found.push(`${local.xmlName}: not a type of SDR's registry`);
        continue;
      }
      found.push(...mismatches(local, sdr));
    }
    expect(found).toEqual([]);
  });

  it('lists every top-level type of SDR (folder types are described through the types they hold)', () => {
    const missing = sdrTypes
      .filter(
        (type) => !sdrChildNames.has(type.name) && !sdrFolderTypeIds.has(type.id) && !type.folderContentType,
      )
      .filter((type) => !metadataType(type.name))
      .map((type) => type.name);
    expect(missing).toEqual([]);
  });

  it('has one row per type, and rows in the order of their names', () => {
    const names = METADATA_REGISTRY.map(([xmlName]) => xmlName);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it('names the component of a metadata-format path as SDR names it', () => {
    // A type's main file; its -meta.xml; a bundle's file; a mixed type's content folder; an
    // ExperienceBundle's meta file, named `<name>.site-meta.xml` by SDR's mixedContent adapter.
    const cases: Array<[path: string, type: string, fullName: string]> = [
      ['classes/Foo.cls', 'ApexClass', 'Foo'],
      ['classes/Foo.cls-meta.xml', 'ApexClass', 'Foo'],
      ['lwc/fooCard/fooCard.js', 'LightningComponentBundle', 'fooCard'],
      ['staticresources/logo.resource', 'StaticResource', 'logo'],
      ['staticresources/logo.resource-meta.xml', 'StaticResource', 'logo'],
      ['experiences/My_Site1.site-meta.xml', 'ExperienceBundle', 'My_Site1'],
      ['experiences/My_Site1/views/home.json', 'ExperienceBundle', 'My_Site1'],
      ['documents/Shared/logo.png', 'Document', 'Shared/logo'],
      ['reports/Sales/Open.report', 'Report', 'Sales/Open'],
      ['wave/Sales.wdash', 'WaveDashboard', 'Sales'],
      ['wave/Sales.wlens-meta.xml', 'WaveLens', 'Sales'],
      ['territory2Models/Global/Global.territory2Model', 'Territory2Model', 'Global'],
      ['territory2Models/Global/territories/West.territory2', 'Territory2', 'Global.West'],
      ['territory2Models/Global/rules/Big.territory2Rule', 'Territory2Rule', 'Global.Big'],
    ];
    for (const [path, type, fullName] of cases)
      expect(componentForPath(path), path).toMatchObject({ type: { xmlName: type }, fullName });
  });
});
