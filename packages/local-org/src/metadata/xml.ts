/**
 * XML helpers for the Metadata API: escaping, rendering plain values as SOAP elements, reading
 * and writing package.xml, and splitting a metadata file into its top-level elements while
 * keeping each element's text as it was (so what is deployed comes back as it went in).
 */
import { XMLParser } from 'fast-xml-parser';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&amp;/g, '&');
}

/**
 * Renders a value as elements: objects become nested elements in key order, arrays repeat the
 * element, null becomes `xsi:nil`, undefined is left out.
 */
export function toXmlElements(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => toXmlElements(name, item)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => toXmlElements(key, item))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

/** Escaping for element text, as Salesforce writes it (quotes stay as they are). */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Text content of a parsed element (fast-xml-parser gives strings, or `#text` with attributes). */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && '#text' in (value as Record<string, unknown>))
    return textOf((value as Record<string, unknown>)['#text']);
  return undefined;
}

export const metadataXmlParser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
});

export interface PackageManifest {
  /** Type name to member names, in the order given. */
  types: Map<string, string[]>;
  version?: string;
}

export class XmlFormatError extends Error {}

/** Reads a package.xml (or destructiveChanges.xml). */
export function parsePackageXml(xml: string): PackageManifest {
  let parsed: Record<string, unknown>;
  try {
    parsed = metadataXmlParser.parse(xml, true) as Record<string, unknown>;
  } catch (error) {
    throw new XmlFormatError(`Error parsing file: ${(error as Error).message}`);
  }
  const root = parsed.Package as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object')
    throw new XmlFormatError('The manifest has no Package root element.');
  return manifestFromObject(root);
}

/** A manifest from its parsed form (a package.xml root, or the `unpackaged` of a retrieve request). */
export function manifestFromObject(root: Record<string, unknown>): PackageManifest {
  const types = new Map<string, string[]>();
  for (const entry of asArray(root.types as unknown)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const typeEntry = entry as Record<string, unknown>;
    const name = textOf(typeEntry.name);
    if (!name) continue;
    // Folders may be named with a trailing slash (`Reports/`), as source-deploy-retrieve writes them.
    const members = asArray(typeEntry.members as unknown)
      .map(textOf)
      .filter((member): member is string => member !== undefined)
      .map((member) => (member.length > 1 ? member.replace(/\/$/, '') : member));
    types.set(name, [...(types.get(name) ?? []), ...members]);
  }
  const version = textOf(root.version);
  return { types, ...(version ? { version } : {}) };
}

export function renderPackageXml(manifest: PackageManifest): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<Package xmlns="${METADATA_NAMESPACE}">`];
  for (const [name, members] of [...manifest.types].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push('    <types>');
    for (const member of [...members].sort((a, b) => a.localeCompare(b)))
      lines.push(`        <members>${escapeXml(member)}</members>`);
    lines.push(`        <name>${escapeXml(name)}</name>`);
    lines.push('    </types>');
  }
  if (manifest.version) lines.push(`    <version>${escapeXml(manifest.version)}</version>`);
  lines.push('</Package>');
  return `${lines.join('\n')}\n`;
}

export interface RawElement {
  name: string;
  /** The element's text from `<` to the end of its closing tag. */
  raw: string;
}

export interface SplitDocument {
  rootName: string;
  children: RawElement[];
}

/**
 * Splits a document into its root element's direct children, keeping each child's text.
 * Comments, processing instructions and CDATA are skipped correctly.
 */
export function splitTopLevelElements(xml: string): SplitDocument {
  let position = 0;
  let rootName: string | undefined;
  let depth = 0;
  let childStart = -1;
  let childName = '';
  const children: RawElement[] = [];
  const fail = (message: string): never => {
    throw new XmlFormatError(message);
  };
  while (position < xml.length) {
    const open = xml.indexOf('<', position);
    if (open < 0) break;
    if (xml.startsWith('<!--', open)) {
      const end = xml.indexOf('-->', open + 4);
      if (end < 0) fail('Unterminated comment');
      position = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', open)) {
      const end = xml.indexOf(']]>', open + 9);
      if (end < 0) fail('Unterminated CDATA section');
      position = end + 3;
      continue;
    }
    if (xml.startsWith('<?', open) || xml.startsWith('<!', open)) {
      const end = xml.indexOf('>', open);
      if (end < 0) fail('Unterminated declaration');
      position = end + 1;
      continue;
    }
    let end = open + 1;
    let quote: string | undefined;
    while (end < xml.length) {
      const character = xml[end];
      if (quote) {
        if (character === quote) quote = undefined;
      } else if (character === '"' || character === "'") quote = character;
      else if (character === '>') break;
      end += 1;
    }
    if (end >= xml.length) fail('Unterminated tag');
    const tag = xml.slice(open + 1, end);
    position = end + 1;
    if (tag.startsWith('/')) {
      depth -= 1;
      if (depth < 0) fail(`Unexpected closing tag </${tag.slice(1).trim()}>`);
      if (depth === 1 && childStart >= 0) {
        children.push({ name: childName, raw: xml.slice(childStart, position) });
        childStart = -1;
      }
      continue;
    }
    const name = (/^([^\s/>]+)/.exec(tag)?.[1] ?? '').replace(/^[^:]+:/, '');
    const selfClosing = tag.endsWith('/');
    if (depth === 0) {
      if (rootName !== undefined) fail('More than one root element');
      rootName = name;
      if (selfClosing) continue;
      depth = 1;
      continue;
    }
    if (depth === 1) {
      childName = name;
      childStart = open;
      if (selfClosing) {
        children.push({ name, raw: xml.slice(open, position) });
        childStart = -1;
        continue;
      }
    }
    if (!selfClosing) depth += 1;
  }
  if (rootName === undefined) fail('No root element');
  if (depth !== 0) fail(`Element <${rootName}> is not closed`);
  return { rootName: rootName as string, children };
}

/** The `<fullName>` directly inside an element's text (the first one found). */
export function fullNameOf(raw: string): string | undefined {
  const match = /<fullName>([^<]*)<\/fullName>/.exec(raw);
  return match ? unescapeXml(match[1] ?? '').trim() : undefined;
}

/** A metadata document with the given root and child element texts, indented as Salesforce writes them. */
export function assembleDocument(rootName: string, children: string[]): string {
  const body = children.map((raw) => `    ${raw.trim()}`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${rootName} xmlns="${METADATA_NAMESPACE}">\n${body}${body ? '\n' : ''}</${rootName}>\n`;
}
