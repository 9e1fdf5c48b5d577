/**
 * readMetadata: components as typed `records`, read from what the org holds. A type whose files are
 * one XML document (PermissionSet, Layout, Flow, CustomObject...) comes back with that document's
 * elements; a type with a content file (ApexClass, StaticResource...) with its metadata and the
 * content as base64 in `<content>`, as the Metadata API's MetadataWithContent does. Bundles
 * (LWC, Aura) are not readable this way on Salesforce either and come back empty.
 */
import type { OrgState } from '../state/types.js';
import type { MetadataType } from './metadataTypes.js';
import { retrieveComponent } from './retrieve.js';
import { escapeText, splitTopLevelElements, XmlFormatError } from './xml.js';

function emptyRecord(type: MetadataType): string {
  return `<records xsi:type="${type.xmlName}"/>`;
}

/** One component as a `<records>` element. */
export function readComponentXml(org: OrgState, type: MetadataType, fullName: string): string {
  if (type.layout === 'bundle') return emptyRecord(type);
  const component = retrieveComponent(org, type, fullName);
  if (!component) return emptyRecord(type);
  const paths = [...component.files.keys()];
  const metaPath = paths.find((path) => path.endsWith('-meta.xml'));
  const contentPath = paths.find((path) => !path.endsWith('-meta.xml'));
  const documentPath = type.metaFile ? metaPath : contentPath;
  const document = documentPath ? component.files.get(documentPath)?.toString('utf8') : undefined;
  let elements: string[] = [];
  if (document) {
    try {
      elements = splitTopLevelElements(document)
        .children.filter((element) => element.name !== 'fullName')
        .map((element) => element.raw);
    } catch (error) {
      if (!(error instanceof XmlFormatError)) throw error;
      return emptyRecord(type);
    }
  }
  const content = type.metaFile && contentPath ? component.files.get(contentPath) : undefined;
  const parts = [
    `<fullName>${escapeText(component.properties.fullName)}</fullName>`,
    ...elements,
    ...(content ? [`<content>${content.toString('base64')}</content>`] : []),
  ];
  return `<records xsi:type="${type.xmlName}">${parts.join('')}</records>`;
}
