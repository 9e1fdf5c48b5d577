/**
 * Compiling a Lightning web component bundle as an org does at deploy: each .js, .html and .css file
 * of the bundle goes through @lwc/compiler (namespace `c`, the bundle's name). The compiler is loaded
 * only when a deploy has a bundle to compile, so the local org's start-up does not pay for it.
 */
import { resolve } from 'node:path';

export interface LwcProblem {
  /** The zip path of the file that does not compile (`lwc/fooCard/fooCard.js`). */
  fileName: string;
  /** As the org words it, `[Line: 5, Col: 1] LWC1007: Unexpected token`: SDR reads the location from it. */
  problem: string;
  line?: number;
  column?: number;
}

interface CompilerError {
  message?: unknown;
  location?: { line?: unknown; column?: unknown };
}

const COMPILED = /\.(js|html|css)$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The compiler's message without the code frame, the absolute path it prefixes, or the location it appends. */
function cleanMessage(error: CompilerError, fileName: string): string {
  const text = typeof error.message === 'string' ? error.message : String(error);
  const firstLine = text.split('\n')[0] ?? text;
  const absolute = escapeRegExp(resolve(fileName));
  return firstLine
    .replace(new RegExp(`${absolute}(:\\d+:\\d+)?: `, 'g'), '')
    .replace(/^[A-Za-z]*Error: /, '')
    .replace(/ \(\d+:\d+\)$/, '')
    .trim();
}

function problemOf(error: unknown, fileName: string): LwcProblem {
  const compilerError = (error ?? {}) as CompilerError;
  const message = cleanMessage(compilerError, fileName);
  const line = Number(compilerError.location?.line);
  let column = Number(compilerError.location?.column);
  if (!Number.isInteger(line) || !Number.isInteger(column)) return { fileName, problem: message };
  // Babel (JavaScript) counts columns from 0; the template and style compilers, and the org, from 1.
  if (fileName.endsWith('.js')) column += 1;
  return { fileName, problem: `[Line: ${line}, Col: ${column}] ${message}`, line, column };
}

/** Every file of the bundle that does not compile, with the compiler's message and location. */
export async function compileLwcBundle(
  bundleName: string,
  files: Map<string, Buffer>,
): Promise<LwcProblem[]> {
  const sources = [...files].filter(([path]) => COMPILED.test(path));
  if (sources.length === 0) return [];
  const { transformSync } = await import('@lwc/compiler');
  const problems: LwcProblem[] = [];
  for (const [path, content] of sources) {
    try {
      transformSync(content.toString('utf8'), path, {
        namespace: 'c',
        name: bundleName,
        scopedStyles: path.endsWith('.scoped.css'),
      });
    } catch (error) {
      problems.push(problemOf(error, path));
    }
  }
  return problems;
}
