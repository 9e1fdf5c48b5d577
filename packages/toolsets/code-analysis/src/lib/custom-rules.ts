/**
 * Custom Code Analyzer rules in a project: PMD XPath rules (a PMD ruleset XML file, listed in code-analyzer.yml's
 * engines.pmd.custom_rulesets) and regex rules (engines.regex.custom_rules). code-analyzer.yml is changed through
 * the `yaml` library's document model — parsed, changed, written — so its comments and layout are kept.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ToolError, excerpt, escapeXml } from '@sfmcp/plugin-api';
import type { Document } from 'yaml';

/** Rule names both engines accept (the regex engine's own pattern, without @ and /, which make poor file names). */
export const RULE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The regex engine's file extension pattern. */
const FILE_EXTENSION = /^([.][a-zA-Z0-9-_]+)+$/;

/** Files a regex rule reads by default, by language. */
const REGEX_EXTENSIONS: Record<string, string[]> = {
  apex: ['.cls', '.trigger'],
  visualforce: ['.page', '.component'],
  javascript: ['.js', '.cjs', '.mjs'],
  typescript: ['.ts'],
  html: ['.html', '.htm'],
  xml: ['.xml'],
};

/** PMD's priority names, as code-analyzer maps 1–5 to severities. */
const SEVERITY_NAMES = ['Critical', 'High', 'Moderate', 'Low', 'Info'] as const;

export function severityName(priority: number): string {
  return SEVERITY_NAMES[priority - 1] ?? 'Moderate';
}

/** Text inside CDATA: a `]]>` in it is split across two sections. */
function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** A PMD ruleset holding one XPath rule. */
export function pmdRulesetXml(rule: {
  ruleName: string;
  description: string;
  message: string;
  language: string;
  priority: number;
  xpath: string;
}): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ruleset name="${escapeXml(rule.ruleName)}"`,
    '    xmlns="http://pmd.sourceforge.net/ruleset/2.0.0"',
    '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '    xsi:schemaLocation="http://pmd.sourceforge.net/ruleset/2.0.0 https://pmd.sourceforge.io/ruleset_2_0_0.xsd">',
    `    <description>${escapeXml(rule.description)}</description>`,
    `    <rule name="${escapeXml(rule.ruleName)}"`,
    `          language="${escapeXml(rule.language)}"`,
    `          message="${escapeXml(rule.message)}"`,
    '          class="net.sourceforge.pmd.lang.rule.xpath.XPathRule">',
    `        <description>${escapeXml(rule.description)}</description>`,
    `        <priority>${rule.priority}</priority>`,
    '        <properties>',
    '            <property name="xpath">',
    `                <value>${cdata(rule.xpath)}</value>`,
    '            </property>',
    '        </properties>',
    '    </rule>',
    '</ruleset>',
    '',
  ].join('\n');
}

/** The ruleset file a rule is written to, relative to the config's folder (as @salesforce/mcp names it). */
export function rulesetFileName(ruleName: string): string {
  const slug = ruleName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `custom-rules/${slug || 'rule'}-pmd-rules.xml`;
}

/**
 * A regex as the regex engine wants it, `/pattern/flags` with `g`: given either that way or as a bare pattern.
 * Refuses what JavaScript cannot compile and what matches the empty string (it would match everywhere).
 */
export function normalizeRegex(value: string): { text: string; regex: RegExp } {
  const slashed = /^\/(.*)\/([a-z]*)$/s.exec(value);
  const pattern = slashed ? (slashed[1] ?? '') : value;
  let flags = slashed ? (slashed[2] ?? '') : '';
  if (!flags.includes('g')) flags = `g${flags}`;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (error) {
    throw new ToolError(
      `The regex ${excerpt(value)} does not compile: ${(error as Error).message}. Nothing was written.`,
      undefined,
      { kind: 'invalid', code: 'INVALID_REGEX' },
    );
  }
  regex.lastIndex = 0;
  if (regex.test('')) {
    throw new ToolError(
      `The regex ${excerpt(value)} matches the empty string, so it would match everywhere. Nothing was written.`,
      undefined,
      { kind: 'invalid', code: 'INVALID_REGEX' },
    );
  }
  regex.lastIndex = 0;
  return { text: `/${pattern}/${flags}`, regex };
}

/** File extensions as the regex engine wants them (`.cls`), from `cls` or `.cls`; or the language's defaults. */
export function regexFileExtensions(
  given: readonly string[] | undefined,
  language: string | undefined,
): string[] | undefined {
  if (given?.length) {
    const extensions = [
      ...new Set(given.map((ext) => (ext.startsWith('.') ? ext : `.${ext}`).toLowerCase())),
    ];
    for (const ext of extensions) {
      if (!FILE_EXTENSION.test(ext))
        throw new ToolError(
          `${excerpt(ext)} is not a file extension (like .cls). Nothing was written.`,
          undefined,
          {
            kind: 'invalid',
          },
        );
    }
    return extensions;
  }
  return language ? REGEX_EXTENSIONS[language.toLowerCase()] : undefined;
}

/** code-analyzer.yml, parsed: where it is, and its document. */
export interface LoadedConfig {
  /** Absolute. */
  path: string;
  exists: boolean;
  doc: Document;
  /** Where the config resolves relative paths: its config_root, else its folder. */
  root: string;
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  const YAML = await import('yaml');
  let text = '';
  let exists = true;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    exists = false;
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) {
    throw new ToolError(
      `${path} is not valid YAML: ${excerpt(doc.errors[0]?.message.split('\n')[0] ?? '', 200)}. Nothing was written.`,
      'Fix the file (or remove it) and call again.',
      { kind: 'invalid' },
    );
  }
  if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({}) as never;
  if (!YAML.isMap(doc.contents)) {
    throw new ToolError(`${path} is not a YAML mapping. Nothing was written.`, undefined, {
      kind: 'invalid',
    });
  }
  const configRoot = doc.get('config_root');
  const root =
    typeof configRoot === 'string' && configRoot.trim() !== ''
      ? resolve(dirname(path), configRoot)
      : dirname(path);
  return { path, exists, doc, root };
}

/** A path as code-analyzer.yml should list it: relative to the config's root, with forward slashes. */
export function configReference(config: LoadedConfig, absolute: string): string {
  const rel = relative(config.root, absolute);
  if (rel.startsWith('..') || isAbsolute(rel)) return absolute;
  return rel.split(sep).join('/');
}

/** The ruleset files engines.pmd.custom_rulesets lists, resolved (entries that are not strings left out). */
export async function listedRulesets(config: LoadedConfig): Promise<{ entries: string[]; isList: boolean }> {
  const YAML = await import('yaml');
  const node = config.doc.getIn(['engines', 'pmd', 'custom_rulesets']);
  if (node === undefined || node === null) return { entries: [], isList: true };
  if (!YAML.isSeq(node)) return { entries: [], isList: false };
  const entries = (node.toJSON() as unknown[]).filter((entry): entry is string => typeof entry === 'string');
  return { entries, isList: true };
}

/** Whether a ruleset file declares a rule of this name (case-insensitive, as PMD selects rules). */
export async function rulesetDeclares(path: string, ruleName: string): Promise<boolean> {
  let xml: string;
  try {
    xml = await readFile(path, 'utf8');
  } catch {
    return false;
  }
  const lower = ruleName.toLowerCase();
  for (const match of xml.matchAll(/<rule\b[^>]*\bname\s*=\s*["']([^"']+)["']/g)) {
    if ((match[1] ?? '').toLowerCase() === lower) return true;
  }
  return false;
}

/** Adds a ruleset to engines.pmd.custom_rulesets (creating the path as needed). */
export async function addRulesetReference(config: LoadedConfig, reference: string): Promise<void> {
  const YAML = await import('yaml');
  const path = ['engines', 'pmd', 'custom_rulesets'];
  const node = config.doc.getIn(path);
  if (node === undefined || node === null) config.doc.setIn(path, config.doc.createNode([reference]));
  else if (YAML.isSeq(node)) node.add(config.doc.createNode(reference));
  else
    throw new ToolError(`engines.pmd.custom_rulesets in ${config.path} is not a list. Nothing was written.`);
}

/** The name of an existing regex rule equal to `ruleName` (ignoring case), if any. */
export async function existingRegexRule(config: LoadedConfig, ruleName: string): Promise<string | undefined> {
  const YAML = await import('yaml');
  const rules = config.doc.getIn(['engines', 'regex', 'custom_rules']);
  if (rules === undefined || rules === null) return undefined;
  if (!YAML.isMap(rules)) {
    throw new ToolError(
      `engines.regex.custom_rules in ${config.path} is not a mapping. Nothing was written.`,
    );
  }
  for (const pair of rules.items) {
    const key = YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (key.toLowerCase() === ruleName.toLowerCase()) return key;
  }
  return undefined;
}

export interface RegexRuleSpec {
  regex: string;
  description: string;
  file_extensions?: string[];
  violation_message?: string;
  severity: number;
  tags?: string[];
}

export function addRegexRule(config: LoadedConfig, ruleName: string, spec: RegexRuleSpec): void {
  const value: Record<string, unknown> = { regex: spec.regex, description: spec.description };
  if (spec.file_extensions) value.file_extensions = spec.file_extensions;
  if (spec.violation_message) value.violation_message = spec.violation_message;
  value.severity = spec.severity;
  if (spec.tags) value.tags = spec.tags;
  config.doc.setIn(['engines', 'regex', 'custom_rules', ruleName], config.doc.createNode(value));
}

/** Whether the config turns the engine off (engines.<engine>.disable_engine: true). */
export function engineDisabled(config: LoadedConfig, engine: string): boolean {
  return config.doc.getIn(['engines', engine, 'disable_engine']) === true;
}
