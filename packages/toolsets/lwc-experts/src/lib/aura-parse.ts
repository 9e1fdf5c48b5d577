import { parse, parseExpression } from '@babel/parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ToolError, excerpt } from '@sfmcp/plugin-api';
import type { Bundle } from './bundle.js';

/** One element of Aura markup (.cmp, .app, .evt, .intf, .design), as the XML parser read it. */
export interface MarkupElement {
  type: 'element';
  tag: string;
  /** Attribute name → value, entities decoded, in source order. */
  attrs: Record<string, string>;
  children: MarkupNode[];
  line: number;
}

export type MarkupNode = MarkupElement | { type: 'text'; text: string } | { type: 'comment'; text: string };

/** A node of a JavaScript syntax tree from @babel/parser (ESTree-like, with start/end offsets). */
export interface JsNode {
  type: string;
  start: number;
  end: number;
  loc: { start: { line: number; column: number } };
  [key: string]: unknown;
}

/** One function of a controller, helper or renderer object literal. */
export interface AuraFunction {
  name: string;
  params: string[];
  /** The FunctionExpression / ArrowFunctionExpression / ObjectMethod node. */
  node: JsNode;
  body: JsNode;
  line: number;
}

export interface AuraScript {
  file: string;
  source: string;
  functions: AuraFunction[];
}

export type AuraKind = 'component' | 'application' | 'event' | 'interface';

export interface ParsedAura {
  name: string;
  kind: AuraKind;
  markupFile: string;
  markup: MarkupElement;
  controller?: AuraScript;
  helper?: AuraScript;
  renderer?: AuraScript;
  design?: { file: string; root: MarkupElement };
  css?: { file: string; source: string };
  svg?: { file: string; content: string };
  documentation?: string;
  /** Files of the bundle this parser does not read (tokens, tests, ...). */
  otherFiles: string[];
}

const MARKUP_KINDS: Record<string, AuraKind> = {
  cmp: 'component',
  app: 'application',
  evt: 'event',
  intf: 'interface',
};

interface BabelParser {
  parse(code: string, options: Record<string, unknown>): JsNode;
  parseExpression(code: string, options: Record<string, unknown>): JsNode;
}

/** @babel/parser, typed as the plain syntax tree this toolset walks. */
export function jsParser(): BabelParser {
  return {
    parse: parse as unknown as BabelParser['parse'],
    parseExpression: parseExpression as unknown as BabelParser['parseExpression'],
  };
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Parses Aura markup with a real XML parser: one root element, well-formed (Aura's own rule). Throws ToolError
 * naming the file, line and column of the first problem.
 */
export function parseMarkup(file: string, source: string): MarkupElement {
  const checked = XMLValidator.validate(source, { allowBooleanAttributes: false });
  if (checked !== true)
    throw new ToolError(
      `${file} is not well-formed markup: ${checked.err.msg.replace(/\.$/, '')} (line ${checked.err.line}, column ${checked.err.col}).`,
      'Aura markup must be well-formed XML: close every tag (or self-close it), quote every attribute value.',
      { kind: 'invalid' },
    );
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    commentPropName: '#comment',
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: true,
  });
  const meta = XMLParser.getMetaDataSymbol() as unknown as symbol;
  const convert = (raw: Record<string | symbol, unknown>): MarkupNode | undefined => {
    const keys = Object.keys(raw).filter((key) => key !== ':@');
    const key = keys[0];
    if (key === undefined) return undefined;
    const value = raw[key];
    if (key === '#text') return { type: 'text', text: String(value) };
    if (key === '#comment') {
      const parts = Array.isArray(value) ? value : [];
      return {
        type: 'comment',
        text: parts.map((part) => String((part as Record<string, unknown>)['#text'] ?? '')).join(''),
      };
    }
    const attrs: Record<string, string> = {};
    const rawAttrs = raw[':@'];
    if (rawAttrs && typeof rawAttrs === 'object')
      for (const [name, attr] of Object.entries(rawAttrs as Record<string, unknown>))
        attrs[name] = String(attr);
    const start = (raw[meta] as { startIndex?: number } | undefined)?.startIndex ?? 0;
    const children = (Array.isArray(value) ? value : [])
      .map((child) => convert(child as Record<string | symbol, unknown>))
      .filter((child): child is MarkupNode => child !== undefined);
    return { type: 'element', tag: key, attrs, children, line: lineAt(source, start) };
  };
  const top = (parser.parse(source) as Record<string | symbol, unknown>[])
    .map(convert)
    .filter((node): node is MarkupNode => node !== undefined);
  const roots = top.filter((node): node is MarkupElement => node.type === 'element');
  if (roots.length !== 1 || top.some((node) => node.type === 'text' && node.text.trim()))
    throw new ToolError(
      `${file} must hold exactly one root element (it holds ${roots.length}${top.some((node) => node.type === 'text' && node.text.trim()) ? ' and text outside it' : ''}).`,
      undefined,
      { kind: 'invalid' },
    );
  return roots[0]!;
}

/** The children of a JS node that are nodes themselves, in source order. */
export function jsChildren(node: JsNode): JsNode[] {
  const found: JsNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments')
      continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) found.push(item);
    } else if (isNode(value)) found.push(value);
  }
  return found.sort((a, b) => a.start - b.start);
}

export function isNode(value: unknown): value is JsNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { start?: unknown }).start === 'number'
  );
}

/** node[key] when it is a node. */
export function sub(node: JsNode | undefined, key: string): JsNode | undefined {
  const value = node?.[key];
  return isNode(value) ? value : undefined;
}

/** node[key] when it is a list of nodes. */
export function subs(node: JsNode | undefined, key: string): JsNode[] {
  const value = node?.[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** Every node under `node` (itself included), depth first. */
export function walk(node: JsNode, visit: (node: JsNode, parent: JsNode | undefined) => void): void {
  const go = (current: JsNode, parent: JsNode | undefined) => {
    visit(current, parent);
    for (const child of jsChildren(current)) go(child, current);
  };
  go(node, undefined);
}

export function stringValue(node: JsNode | undefined): string | undefined {
  if (node?.type === 'StringLiteral') return node.value as string;
  if (node?.type === 'TemplateLiteral' && subs(node, 'expressions').length === 0)
    return subs(node, 'quasis')
      .map((quasi) => (quasi.value as { cooked: string }).cooked)
      .join('');
  return undefined;
}

export function identifierName(node: JsNode | undefined): string | undefined {
  return node?.type === 'Identifier' ? (node.name as string) : undefined;
}

function keyName(node: JsNode): string | undefined {
  const key = sub(node, 'key');
  if (!key) return undefined;
  if (node.computed === true) return stringValue(key);
  return identifierName(key) ?? stringValue(key);
}

/**
 * Parses a controller, helper or renderer: one object literal `({ name: function (component, event, helper)
 * {...}, ... })`, with @babel/parser. Throws ToolError with the line of a syntax error, or when the file is not
 * such an object.
 */
export function parseScript(file: string, source: string): AuraScript {
  let program: JsNode;
  try {
    program = jsParser().parse(source, {
      sourceType: 'script',
      allowReturnOutsideFunction: false,
      errorRecovery: false,
      ranges: false,
    });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    throw new ToolError(
      `${file} is not valid JavaScript: ${(error as Error).message.replace(/\s*\(\d+:\d+\)$/, '')}${loc ? ` (line ${loc.line}, column ${loc.column + 1})` : ''}.`,
      undefined,
      { kind: 'invalid' },
    );
  }
  const body = subs(sub(program, 'program'), 'body').filter((node) => node.type !== 'EmptyStatement');
  const expression =
    body.length === 1 && body[0]!.type === 'ExpressionStatement' ? sub(body[0], 'expression') : undefined;
  if (expression?.type !== 'ObjectExpression')
    throw new ToolError(
      `${file} is not an Aura ${/Helper\.js$/.test(file) ? 'helper' : /Renderer\.js$/.test(file) ? 'renderer' : 'controller'}: it must be one object literal, ({ name: function (component, event, helper) { ... } }).`,
      undefined,
      { kind: 'invalid' },
    );
  const functions: AuraFunction[] = [];
  for (const property of subs(expression, 'properties')) {
    const name = keyName(property);
    if (name === undefined) continue;
    const fn =
      property.type === 'ObjectMethod'
        ? property
        : sub(property, 'value')?.type === 'FunctionExpression' ||
            sub(property, 'value')?.type === 'ArrowFunctionExpression'
          ? sub(property, 'value')
          : undefined;
    if (!fn) continue;
    const fnBody = sub(fn, 'body');
    if (!fnBody || fnBody.type !== 'BlockStatement') continue;
    functions.push({
      name,
      params: subs(fn, 'params').map((param, index) => identifierName(param) ?? `arg${index}`),
      node: fn,
      body: fnBody,
      line: fn.loc.start.line,
    });
  }
  return { file, source, functions };
}

/** Parses the files of an Aura bundle: markup, controller, helper, renderer, design, CSS, SVG, documentation. */
export function parseAuraBundle(bundle: Bundle): ParsedAura {
  const name = bundle.name;
  let markupFile: string | undefined;
  let kind: AuraKind | undefined;
  for (const [extension, markupKind] of Object.entries(MARKUP_KINDS)) {
    if (bundle.files.has(`${name}.${extension}`)) {
      markupFile = `${name}.${extension}`;
      kind = markupKind;
      break;
    }
  }
  if (!markupFile || !kind)
    throw new ToolError(
      `The bundle ${name} has no markup file (${name}.cmp, .app, .evt or .intf); files: ${
        [...bundle.files.keys()]
          .slice(0, 10)
          .map((file) => excerpt(file, 40))
          .join(', ') || 'none'
      }.`,
      'An Aura bundle folder holds <name>.cmp with <name>Controller.js, <name>Helper.js, ...',
      { kind: 'invalid' },
    );
  const used = new Set<string>([markupFile]);
  const markup = parseMarkup(markupFile, bundle.files.get(markupFile)!);
  const expectedRoot = `aura:${kind === 'interface' ? 'interface' : kind}`;
  if (markup.tag !== expectedRoot)
    throw new ToolError(
      `${markupFile}'s root element is <${excerpt(markup.tag, 40)}>; an Aura ${kind} starts with <${expectedRoot}>.`,
      undefined,
      { kind: 'invalid' },
    );
  const parsed: ParsedAura = { name, kind, markupFile, markup, otherFiles: [] };
  const script = (suffix: string): AuraScript | undefined => {
    const file = `${name}${suffix}.js`;
    const source = bundle.files.get(file);
    if (source === undefined) return undefined;
    used.add(file);
    return parseScript(file, source);
  };
  const controller = script('Controller');
  if (controller) parsed.controller = controller;
  const helper = script('Helper');
  if (helper) parsed.helper = helper;
  const renderer = script('Renderer');
  if (renderer) parsed.renderer = renderer;
  const designFile = `${name}.design`;
  const design = bundle.files.get(designFile);
  if (design !== undefined) {
    used.add(designFile);
    parsed.design = { file: designFile, root: parseMarkup(designFile, design) };
  }
  const cssFile = `${name}.css`;
  const css = bundle.files.get(cssFile);
  if (css !== undefined) {
    used.add(cssFile);
    parsed.css = { file: cssFile, source: css };
  }
  const svgFile = `${name}.svg`;
  const svg = bundle.files.get(svgFile);
  if (svg !== undefined) {
    used.add(svgFile);
    parsed.svg = { file: svgFile, content: svg };
  }
  const docFile = `${name}.auradoc`;
  if (bundle.files.has(docFile)) {
    used.add(docFile);
    parsed.documentation = docFile;
  }
  parsed.otherFiles = [...bundle.files.keys()].filter((file) => !used.has(file)).sort();
  return parsed;
}

/** Every element under `root` (itself included), in document order. */
export function elements(root: MarkupElement): MarkupElement[] {
  const found: MarkupElement[] = [];
  const go = (element: MarkupElement) => {
    found.push(element);
    for (const child of element.children) if (child.type === 'element') go(child);
  };
  go(root);
  return found;
}
