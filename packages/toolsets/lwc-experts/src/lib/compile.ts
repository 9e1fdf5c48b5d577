import { resolve } from 'node:path';
import type { Bundle } from './bundle.js';
import { ADVICE } from './error-catalog.js';
import type { Finding } from './validate.js';

/** A bundle file the LWC compiler transforms: component code, templates and styles (not tests, not typings). */
export function isCompiledFile(file: string): boolean {
  if (file.startsWith('__tests__/') || file.includes('/__tests__/') || file.startsWith('__mocks__/'))
    return false;
  if (file.endsWith('.d.ts') || /\.(test|spec)\.[jt]s$/.test(file)) return false;
  return /\.(js|ts|html|css)$/.test(file);
}

interface Diagnostic {
  code?: number;
  message: string;
  level?: number;
  location?: { line?: number; column?: number };
}

/** LWC compiler diagnostics as findings. The LWC code (LWC1034) is the rule. */
function toFinding(
  file: string,
  diagnostic: Diagnostic,
  severity: 'error' | 'warning',
  zeroBasedColumn: boolean,
): Finding {
  const code = typeof diagnostic.code === 'number' && diagnostic.code > 0 ? diagnostic.code : undefined;
  const line = diagnostic.location?.line ?? 1;
  const rawColumn = diagnostic.location?.column ?? (zeroBasedColumn ? 0 : 1);
  return {
    file,
    line,
    column: zeroBasedColumn ? rawColumn + 1 : Math.max(rawColumn, 1),
    rule: code ? `LWC${code}` : 'LWC-compile',
    severity,
    message: cleanMessage(diagnostic.message, file),
    fix: code
      ? (ADVICE[code]?.fix ?? `See reference_lwc_compilation_error for LWC${code}.`)
      : 'Fix the syntax the compiler reports, then validate again.',
  };
}

/** The compiler's message without its code prefix, the absolute path it adds, or Babel's code frame. */
export function cleanMessage(message: string, file: string): string {
  const absolute = resolve(file);
  let text = message.split(absolute).join(file);
  text = text.replace(/\n\s*\n[\s\S]*$/, ''); // Babel's code frame after a blank line
  text = text.replace(/\n\s*>?\s*\d+ \|[\s\S]*$/, ''); // a code frame without the blank line
  text = text
    .replace(/^(SyntaxError|CssSyntaxError|TypeError|Error):\s*/, '')
    .replace(/^LWC\d+:\s*/, '')
    .replace(new RegExp(`^${escapeRegExp(file)}:(\\d+:\\d+:)?\\s*`), '')
    .replace(/^LWC\d+:\s*/, '')
    .replace(/\s*\(\d+:\d+\)$/, '');
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface CompileOptions {
  /** The component's API version (its js-meta.xml apiVersion), e.g. 62. */
  apiVersion?: number;
  signal?: AbortSignal;
}

/**
 * Compiles each component file of the bundle with @lwc/compiler (namespace c) and returns the errors and
 * warnings with their LWC codes and locations. A TypeScript file is compiled after Node strips its types
 * (positions are kept). Never throws for problems in the component.
 */
export async function compileBundle(bundle: Bundle, options: CompileOptions = {}): Promise<Finding[]> {
  const { transformSync } = await import('@lwc/compiler');
  const findings: Finding[] = [];
  for (const [file, source] of bundle.files) {
    if (!isCompiledFile(file)) continue;
    options.signal?.throwIfAborted();
    findings.push(...(await compileFile(transformSync, bundle.name, file, source, options.apiVersion)));
  }
  return findings;
}

type TransformSync = (typeof import('@lwc/compiler'))['transformSync'];

async function compileFile(
  transformSync: TransformSync,
  name: string,
  file: string,
  source: string,
  apiVersion: number | undefined,
): Promise<Finding[]> {
  const isScript = /\.(js|ts)$/.test(file);
  let code = source;
  if (file.endsWith('.ts')) {
    const stripped = await stripTypes(file, source);
    if (typeof stripped !== 'string') return [stripped];
    code = stripped;
  }
  // Babel's columns count from 0; the template compiler's and PostCSS's from 1.
  const zeroBased = isScript;
  const transformOptions = {
    name,
    namespace: 'c',
    experimentalErrorRecoveryMode: true,
    // As on the platform: lwc:component with lwc:is (dynamic components) compiles.
    enableDynamicComponents: true,
    ...(apiVersion ? { apiVersion } : {}),
  };
  const findings: Finding[] = [];
  try {
    const result = transformSync(
      code,
      file.endsWith('.ts') ? file.replace(/\.ts$/, '.js') : file,
      transformOptions,
    );
    for (const warning of result.warnings ?? [])
      findings.push(toFinding(file, warning, 'warning', zeroBased));
    return findings;
  } catch (error) {
    const errors = (error as { errors?: Diagnostic[] }).errors;
    const list: Diagnostic[] = Array.isArray(errors) && errors.length ? errors : [error as Diagnostic];
    for (const diagnostic of list) {
      const fixed = { ...diagnostic, message: String(diagnostic.message ?? error) };
      if (file.endsWith('.ts')) fixed.message = fixed.message.split(file.replace(/\.ts$/, '.js')).join(file);
      findings.push(toFinding(file, fixed, diagnostic.level === 2 ? 'warning' : 'error', zeroBased));
    }
    // An HTML file that failed still has its warnings: the template parser gives them all.
    if (file.endsWith('.html')) findings.push(...(await templateWarnings(file, source, apiVersion)));
    return dedupe(findings);
  }
}

async function templateWarnings(
  file: string,
  source: string,
  apiVersion: number | undefined,
): Promise<Finding[]> {
  try {
    const { parse } = await import('@lwc/template-compiler');
    const result = parse(source, apiVersion ? { apiVersion } : {});
    const warnings = result.warnings as Diagnostic[];
    return warnings
      .filter((warning) => warning.level === 2)
      .map((warning) => toFinding(file, warning, 'warning', false));
  } catch {
    return [];
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.file}:${finding.line}:${finding.column}:${finding.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** TypeScript with its types replaced by spaces (positions unchanged), or the finding why it cannot be. */
async function stripTypes(file: string, source: string): Promise<string | Finding> {
  const nodeModule = (await import('node:module')) as { stripTypeScriptTypes?: (code: string) => string };
  if (typeof nodeModule.stripTypeScriptTypes !== 'function')
    return {
      file,
      line: 1,
      column: 1,
      rule: 'LWC-typescript',
      severity: 'warning',
      message: 'This Node.js cannot strip TypeScript types, so the file was not compiled',
      fix: 'Run the server on Node.js 22.13 or later.',
    };
  const emit = process.emitWarning;
  try {
    // Node marks the stripper experimental with a process warning on first use; it says nothing about the component.
    process.emitWarning = () => undefined;
    return nodeModule.stripTypeScriptTypes(source);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const at = /:(\d+):(\d+)\]?/.exec(message);
    return {
      file,
      line: at ? Number(at[1]) : 1,
      column: at ? Number(at[2]) : 1,
      rule: 'LWC-typescript',
      severity: 'error',
      message: `TypeScript the compiler cannot take: ${message.split('\n')[0]}`,
      fix: 'Use erasable TypeScript only (types, interfaces, type-only imports); replace enums and namespaces with plain objects.',
    };
  } finally {
    process.emitWarning = emit;
  }
}
