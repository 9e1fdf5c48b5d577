import type { Finding } from './validate.js';

/** An XML element with where its start tag begins (1-based line and column). */
export interface XmlElement {
  name: string;
  attributes: Map<string, { value: string; line: number; column: number }>;
  children: XmlElement[];
  /** The element's own text (entities decoded), trimmed. */
  text: string;
  line: number;
  column: number;
  /** Where its text begins (for findings on a value). */
  textLine: number;
  textColumn: number;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const NAME = /[A-Za-z_][\w.:-]*/y;
/** Metadata files nest a few levels; anything deeper is refused before it can exhaust the stack. */
const MAX_DEPTH = 100;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * A small, strict XML parser for metadata files: elements, attributes, text, comments, CDATA, the XML
 * declaration and the five predefined entities (plus numeric ones). No DTDs. Throws XmlSyntaxError with the
 * line and column of the first fault.
 */
export function parseXml(source: string): XmlElement {
  let index = 0;
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const position = (at: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - lineStarts[low]! + 1 };
  };
  const fail = (message: string, at = index): never => {
    const { line, column } = position(at);
    throw new XmlSyntaxError(message, line, column);
  };
  const skipSpace = () => {
    while (index < source.length && /\s/.test(source[index]!)) index++;
  };
  const readName = (): string => {
    NAME.lastIndex = index;
    const match = NAME.exec(source);
    if (!match) return fail('expected a name');
    index += match[0].length;
    return match[0];
  };
  const decode = (text: string, at: number): string =>
    text.replace(/&([^;\s&<]*);?/g, (whole, entity: string, offset: number) => {
      if (!whole.endsWith(';')) return fail(`unterminated entity "&${entity}"`, at + offset);
      if (entity in ENTITIES) return ENTITIES[entity]!;
      const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(entity);
      if (numeric) {
        const code = numeric[1]!.startsWith('x')
          ? parseInt(numeric[1]!.slice(1), 16)
          : parseInt(numeric[1]!, 10);
        if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
      }
      return fail(`unknown entity "&${entity};"`, at + offset);
    });
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<!--', index)) {
        const end = source.indexOf('-->', index + 4);
        if (end < 0) fail('unterminated comment');
        index = end + 3;
      } else if (source.startsWith('<?', index)) {
        const end = source.indexOf('?>', index + 2);
        if (end < 0) fail('unterminated processing instruction');
        index = end + 2;
      } else if (source.startsWith('<!DOCTYPE', index)) {
        fail('DOCTYPE declarations are not allowed in metadata files');
      } else return;
    }
  };

  let depth = 0;
  const parseElement = (): XmlElement => {
    const start = index;
    if (++depth > MAX_DEPTH) fail(`elements nest deeper than ${MAX_DEPTH} levels`);
    index++; // <
    const name = readName();
    const { line, column } = position(start);
    const element: XmlElement = {
      name,
      attributes: new Map(),
      children: [],
      text: '',
      line,
      column,
      textLine: line,
      textColumn: column,
    };
    for (;;) {
      const before = index;
      skipSpace();
      if (source.startsWith('/>', index)) {
        index += 2;
        depth--;
        return element;
      }
      if (source[index] === '>') {
        index++;
        break;
      }
      if (index >= source.length) fail(`<${name}> is not closed`, start);
      if (index === before) fail(`expected whitespace before an attribute of <${name}>`);
      const attributeStart = index;
      const attribute = readName();
      skipSpace();
      if (source[index] !== '=') fail(`attribute ${attribute} of <${name}> has no value`);
      index++;
      skipSpace();
      const quote = source[index];
      if (quote !== '"' && quote !== "'") fail(`the value of ${attribute} must be quoted`);
      const end = source.indexOf(quote!, index + 1);
      if (end < 0) fail(`unterminated value of ${attribute}`);
      const raw = source.slice(index + 1, end);
      if (raw.includes('<')) fail(`"<" in the value of ${attribute}`, index + 1 + raw.indexOf('<'));
      if (element.attributes.has(attribute)) fail(`duplicate attribute ${attribute}`, attributeStart);
      element.attributes.set(attribute, { value: decode(raw, index + 1), ...position(attributeStart) });
      index = end + 1;
    }
    let text = '';
    let textStart = -1;
    for (;;) {
      if (index >= source.length) fail(`<${name}> has no closing tag </${name}>`, start);
      if (source.startsWith('</', index)) {
        const closeAt = index;
        index += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}> (line ${line})`, closeAt);
        skipSpace();
        if (source[index] !== '>') fail(`expected ">" after </${closing}`);
        index++;
        break;
      }
      if (source.startsWith('<!--', index)) {
        const end = source.indexOf('-->', index + 4);
        if (end < 0) fail('unterminated comment');
        index = end + 3;
        continue;
      }
      if (source.startsWith('<![CDATA[', index)) {
        const end = source.indexOf(']]>', index + 9);
        if (end < 0) fail('unterminated CDATA section');
        if (textStart < 0) textStart = index + 9;
        text += source.slice(index + 9, end);
        index = end + 3;
        continue;
      }
      if (source.startsWith('<?', index)) {
        const end = source.indexOf('?>', index + 2);
        if (end < 0) fail('unterminated processing instruction');
        index = end + 2;
        continue;
      }
      if (source[index] === '<') {
        element.children.push(parseElement());
        continue;
      }
      const next = source.indexOf('<', index);
      const chunkEnd = next < 0 ? source.length : next;
      const chunk = source.slice(index, chunkEnd);
      const firstSolid = chunk.search(/\S/);
      if (firstSolid >= 0 && textStart < 0) textStart = index + firstSolid;
      text += decode(chunk, index);
      index = chunkEnd;
    }
    element.text = text.trim();
    if (textStart >= 0) {
      const at = position(textStart);
      element.textLine = at.line;
      element.textColumn = at.column;
    }
    depth--;
    return element;
  };

  if (source.charCodeAt(0) === 0xfeff) index = 1;
  skipMisc();
  if (source[index] !== '<') fail('expected the root element');
  const root = parseElement();
  skipMisc();
  if (index < source.length) fail('content after the root element');
  return root;
}

/** Where Lightning web components can be placed (the js-meta.xml <target> values Salesforce documents). */
export const LWC_TARGETS: readonly string[] = [
  'analytics__Dashboard',
  'lightning__AgentforceInput',
  'lightning__AgentforceOutput',
  'lightning__AppPage',
  'lightning__FlowAction',
  'lightning__FlowScreen',
  'lightning__GlobalAction',
  'lightning__HomePage',
  'lightning__Inbox',
  'lightning__RecordAction',
  'lightning__RecordPage',
  'lightning__Tab',
  'lightning__UrlAddressable',
  'lightning__UtilityBar',
  'lightning__VoiceExtension',
  'lightningCommunity__Default',
  'lightningCommunity__Page',
  'lightningCommunity__Page_Layout',
  'lightningCommunity__Theme_Layout',
  'lightningSnapin__ChannelMenu',
  'lightningSnapin__ChatHeader',
  'lightningSnapin__ChatMessage',
  'lightningSnapin__Minimized',
  'lightningSnapin__PreChat',
  'lightningStatic__Email',
];

/** Targets whose targetConfig takes no <property> (actions, tabs, URL-addressable components). */
const NO_PROPERTIES = new Set([
  'lightning__RecordAction',
  'lightning__GlobalAction',
  'lightning__Tab',
  'lightning__UrlAddressable',
  'lightningCommunity__Page',
]);

const BUILDER_TYPES = ['Boolean', 'Integer', 'String', 'Color'];
const FLOW_TYPES = ['Boolean', 'Date', 'DateTime', 'Integer', 'String'];

/** The property types a target accepts, or undefined when this checker does not judge them. */
function propertyTypeProblem(target: string, type: string): string | undefined {
  if (target === 'lightning__FlowScreen' || target === 'lightning__FlowAction') {
    const single = type.endsWith('[]') ? type.slice(0, -2) : type;
    if (FLOW_TYPES.includes(single)) return undefined;
    if (/^@salesforce\/schema\/[A-Za-z][\w]*$/.test(single)) return undefined;
    if (/^apex:\/\/[A-Za-z][\w.]*$/.test(single)) return undefined;
    if (/^\{[A-Za-z]\w*\}$/.test(single)) return undefined; // a generic type named by <propertyType>
    return `${type} is not a Flow property type (${FLOW_TYPES.join(', ')}, @salesforce/schema/<Object>, apex://<Class>, {T}, or a list of one with [])`;
  }
  if (target === 'lightningCommunity__Default' || target === 'lightningStatic__Email') {
    if ([...BUILDER_TYPES, 'ContentReference'].includes(type)) return undefined;
    return `${type} is not an Experience Builder property type (${[...BUILDER_TYPES, 'ContentReference'].join(', ')})`;
  }
  if (
    [
      'lightning__AppPage',
      'lightning__HomePage',
      'lightning__RecordPage',
      'lightning__UtilityBar',
      'lightning__Inbox',
    ].includes(target)
  ) {
    if (BUILDER_TYPES.includes(type)) return undefined;
    return `${type} is not a Lightning App Builder property type (${BUILDER_TYPES.join(', ')})`;
  }
  return undefined;
}

/** The closest known target, for a misspelt one. */
function closest(value: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const choice of choices) {
    const distance = editDistance(value.toLowerCase(), choice.toLowerCase());
    if (distance < bestDistance) {
      best = choice;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(3, Math.floor(value.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The @api property names a component's JavaScript declares (fields, getters and setters). */
export function apiProperties(source: string): Set<string> {
  const names = new Set<string>();
  const pattern = /@api\s+(?:(?:static|get|set|async)\s+)*([A-Za-z_$][\w$]*)/g;
  for (const match of source.matchAll(pattern)) names.add(match[1]!);
  return names;
}

export interface MetaCheckOptions {
  /** The project's sourceApiVersion ("62.0"). */
  sourceApiVersion?: string;
  /** The component's JavaScript (or TypeScript), for the @api properties a targetConfig names. */
  script?: string;
}

/** The newest API version the installed LWC compiler knows; a version well above it is not a real one. */
const NEWEST_KNOWN_API = 66;

/** The checks of a component's js-meta.xml. `file` is its name in the bundle. */
export function checkMetaXml(
  file: string,
  source: string,
  options: MetaCheckOptions = {},
): {
  findings: Finding[];
  apiVersion?: number;
} {
  const findings: Finding[] = [];
  const add = (
    at: { line: number; column: number },
    rule: string,
    severity: 'error' | 'warning',
    message: string,
    fix: string,
  ) => findings.push({ file, line: at.line, column: at.column, rule, severity, message, fix });

  let root: XmlElement;
  try {
    root = parseXml(source);
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    add(
      error,
      'meta/xml-syntax',
      'error',
      `js-meta.xml is not well-formed XML: ${error.message}`,
      'Fix the XML so it parses; the deploy rejects the bundle otherwise.',
    );
    return { findings };
  }
  if (root.name !== 'LightningComponentBundle') {
    add(
      root,
      'meta/root',
      'error',
      `the root element is <${root.name}>, not <LightningComponentBundle>`,
      'Make <LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata"> the root.',
    );
    return { findings };
  }
  if (root.attributes.get('xmlns')?.value !== 'http://soap.sforce.com/2006/04/metadata')
    add(
      root,
      'meta/namespace',
      'warning',
      'LightningComponentBundle lacks xmlns="http://soap.sforce.com/2006/04/metadata"',
      'Add xmlns="http://soap.sforce.com/2006/04/metadata" to the root element.',
    );
  const only = (name: string): XmlElement | undefined => {
    const found = root.children.filter((child) => child.name === name);
    if (found.length > 1)
      add(found[1]!, 'meta/duplicate', 'error', `<${name}> appears more than once`, `Keep one <${name}>.`);
    return found[0];
  };

  let apiVersion: number | undefined;
  const version = only('apiVersion');
  if (!version)
    add(
      root,
      'meta/api-version',
      'error',
      'apiVersion is missing',
      `Add <apiVersion>${options.sourceApiVersion ?? `${NEWEST_KNOWN_API}.0`}</apiVersion>.`,
    );
  else if (!/^\d{2,3}\.0$/.test(version.text))
    add(
      { line: version.textLine, column: version.textColumn },
      'meta/api-version',
      'error',
      `apiVersion ${JSON.stringify(version.text)} is not an API version such as 62.0`,
      `Use a released API version, e.g. ${options.sourceApiVersion ?? '62.0'}.`,
    );
  else {
    apiVersion = Number(version.text);
    const at = { line: version.textLine, column: version.textColumn };
    const projectVersion = options.sourceApiVersion ? Number(options.sourceApiVersion) : undefined;
    if (apiVersion < 45)
      add(
        at,
        'meta/api-version',
        'error',
        `apiVersion ${version.text} is below 45.0, the first version with Lightning web components`,
        `Use ${options.sourceApiVersion ?? '62.0'}.`,
      );
    else if (apiVersion > NEWEST_KNOWN_API + 4)
      add(
        at,
        'meta/api-version',
        'error',
        `apiVersion ${version.text} is not a released API version`,
        `Use ${options.sourceApiVersion ?? `${NEWEST_KNOWN_API}.0`} (the project's sourceApiVersion).`,
      );
    else if (projectVersion && apiVersion > projectVersion)
      add(
        at,
        'meta/api-version',
        'warning',
        `apiVersion ${version.text} is above the project's sourceApiVersion ${options.sourceApiVersion}; orgs on that version reject it`,
        `Use ${options.sourceApiVersion} or raise sourceApiVersion in sfdx-project.json.`,
      );
    else if (apiVersion < 58)
      add(
        at,
        'meta/api-version',
        'warning',
        `apiVersion ${version.text} is old: components at 58.0 or earlier all behave as 58.0 and miss later fixes`,
        `Raise it to ${options.sourceApiVersion ?? `${NEWEST_KNOWN_API}.0`} and re-test.`,
      );
  }

  const exposedElement = only('isExposed');
  let exposed = false;
  if (exposedElement) {
    if (exposedElement.text !== 'true' && exposedElement.text !== 'false')
      add(
        { line: exposedElement.textLine, column: exposedElement.textColumn },
        'meta/is-exposed',
        'error',
        `isExposed is ${JSON.stringify(exposedElement.text)}; it must be true or false`,
        'Write <isExposed>true</isExposed> or <isExposed>false</isExposed>.',
      );
    exposed = exposedElement.text === 'true';
  }

  const declared = new Map<string, XmlElement>();
  const targets = only('targets');
  for (const target of targets?.children ?? []) {
    if (target.name !== 'target') {
      add(
        target,
        'meta/targets',
        'error',
        `<targets> holds <${target.name}>, not <target>`,
        'Use <target>…</target> entries only.',
      );
      continue;
    }
    const at = { line: target.textLine, column: target.textColumn };
    if (!LWC_TARGETS.includes(target.text)) {
      const suggestion = closest(target.text, LWC_TARGETS);
      add(
        at,
        'meta/unknown-target',
        'error',
        `${JSON.stringify(target.text)} is not a Lightning web component target`,
        suggestion
          ? `Did you mean ${suggestion}?`
          : `Use one of: ${LWC_TARGETS.filter((name) => name.startsWith('lightning__')).join(', ')}, or a lightningCommunity__/lightningSnapin__ target.`,
      );
    } else if (declared.has(target.text))
      add(
        at,
        'meta/duplicate-target',
        'warning',
        `target ${target.text} is listed twice`,
        'Remove the repeated <target>.',
      );
    declared.set(target.text, target);
  }
  if (targets && declared.size && !exposed)
    add(
      exposedElement ?? root,
      'meta/not-exposed',
      'warning',
      'targets are declared but isExposed is not true, so no builder offers the component',
      'Set <isExposed>true</isExposed>, or remove <targets> if the component is only used by others.',
    );
  if (declared.has('lightningCommunity__Default') && !declared.has('lightningCommunity__Page'))
    add(
      declared.get('lightningCommunity__Default')!,
      'meta/community-targets',
      'warning',
      'lightningCommunity__Default without lightningCommunity__Page: Experience Builder does not list the component',
      'Add <target>lightningCommunity__Page</target> as well.',
    );

  const api = options.script !== undefined ? apiProperties(options.script) : undefined;
  const configs = only('targetConfigs');
  for (const config of configs?.children ?? []) {
    if (config.name !== 'targetConfig') {
      add(
        config,
        'meta/target-configs',
        'error',
        `<targetConfigs> holds <${config.name}>, not <targetConfig>`,
        'Use <targetConfig targets="…"> entries only.',
      );
      continue;
    }
    const attribute = config.attributes.get('targets');
    if (!attribute || !attribute.value.trim()) {
      add(
        config,
        'meta/target-config',
        'error',
        '<targetConfig> has no targets attribute',
        'Add targets="lightning__RecordPage" (the targets it configures).',
      );
      continue;
    }
    const names = attribute.value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    for (const name of names) {
      if (!declared.has(name))
        add(
          attribute,
          'meta/target-config-undeclared',
          'error',
          `targetConfig names ${name}, which <targets> does not declare`,
          LWC_TARGETS.includes(name)
            ? `Add <target>${name}</target> to <targets>, or remove it from this targetConfig.`
            : `${name} is not a target; ${closest(name, LWC_TARGETS) ? `did you mean ${closest(name, LWC_TARGETS)}?` : 'use a declared target.'}`,
        );
    }
    for (const property of config.children.filter((child) => child.name === 'property')) {
      const propertyName = property.attributes.get('name')?.value;
      const type = property.attributes.get('type');
      if (!propertyName) {
        add(
          property,
          'meta/property',
          'error',
          '<property> has no name',
          'Name the @api property it sets: name="recordLimit".',
        );
        continue;
      }
      for (const name of names) {
        if (NO_PROPERTIES.has(name))
          add(
            property,
            'meta/property-not-supported',
            'error',
            `${name} does not take <property> (here ${propertyName})`,
            `Move the property to a targetConfig of a page target, or remove it.`,
          );
        else if (type) {
          const problem = propertyTypeProblem(name, type.value);
          if (problem)
            add(
              type,
              'meta/property-type',
              'error',
              `property ${propertyName}: ${problem} for ${name}`,
              'Use a type the target supports.',
            );
        }
      }
      if (!type && !names.every((name) => NO_PROPERTIES.has(name)))
        add(
          property,
          'meta/property-type',
          'error',
          `property ${propertyName} has no type`,
          'Add type="String" (or the type of the @api property).',
        );
      if (api && !api.has(propertyName))
        add(
          property,
          'meta/property-not-api',
          'error',
          `property ${propertyName} is not an @api property of the component`,
          `Declare @api ${propertyName} in the component's JavaScript, or fix the name (it is case-sensitive).`,
        );
    }
  }
  if (configs && !targets)
    add(
      configs,
      'meta/target-configs',
      'error',
      'targetConfigs without targets',
      'Declare the targets in <targets>.',
    );
  return { findings, ...(apiVersion !== undefined ? { apiVersion } : {}) };
}
