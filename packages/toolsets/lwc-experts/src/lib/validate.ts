import type { Bundle } from './bundle.js';

/** One problem in a component, where it is and how to fix it. */
export interface Finding {
  /** The file's path inside the bundle ("hello.html"). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The LWC compiler code (LWC1034), the lint rule (@lwc/lwc/no-inner-html), a11y/… or meta/…. */
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  fix: string;
}

export interface ValidationReport {
  /** "c/name". */
  component: string;
  /** The bundle folder relative to the project root, when it came from the project. */
  path?: string;
  findings: Finding[];
  /** 0–100. */
  score: number;
  /** The main reasons the score is not 100, in plain words, worst first. */
  holdsBack: string[];
}

export type FindingKind = 'compile' | 'lint' | 'accessibility' | 'meta' | 'bundle';

export function kindOf(rule: string): FindingKind {
  if (/^LWC(\d+|-)/.test(rule)) return 'compile';
  if (rule.startsWith('a11y/')) return 'accessibility';
  if (rule.startsWith('meta/')) return 'meta';
  if (rule.startsWith('bundle/')) return 'bundle';
  return 'lint';
}

const WEIGHT = { compile: { error: 35, warning: 4 }, other: { error: 12, warning: 3 } } as const;

/** 100 less each finding's weight (compile errors weigh most; a rule counts at most three times). */
export function scoreOf(findings: readonly Finding[]): number {
  const counted = new Map<string, number>();
  let score = 100;
  let compileErrors = 0;
  // A lint rule that repeats a compile error on the same line (valid-api after LWC1107) is not weighed twice.
  const compileLines = new Set(
    findings
      .filter((finding) => kindOf(finding.rule) === 'compile' && finding.severity === 'error')
      .map((finding) => `${finding.file}:${finding.line}`),
  );
  for (const finding of findings) {
    if (kindOf(finding.rule) === 'lint' && compileLines.has(`${finding.file}:${finding.line}`)) continue;
    const key = `${finding.rule}:${finding.severity}`;
    const seen = counted.get(key) ?? 0;
    counted.set(key, seen + 1);
    const kind = kindOf(finding.rule);
    if (kind === 'compile' && finding.severity === 'error') compileErrors++;
    if (seen >= 3) continue;
    score -= (kind === 'compile' ? WEIGHT.compile : WEIGHT.other)[finding.severity];
  }
  if (compileErrors) score = Math.min(score, 40);
  return Math.max(0, Math.min(100, score));
}

const KIND_WORDS: Record<FindingKind, [string, string]> = {
  compile: ['compile error', 'compile warning'],
  lint: ['lint error', 'lint warning'],
  accessibility: ['accessibility error', 'accessibility warning'],
  meta: ['js-meta.xml error', 'js-meta.xml warning'],
  bundle: ['bundle error', 'bundle warning'],
};

/** The top reasons a score is held back: counts per kind and severity with their rules, worst first. */
export function holdsBackOf(findings: readonly Finding[]): string[] {
  const groups = new Map<string, { weight: number; count: number; rules: Set<string>; words: string }>();
  for (const finding of findings) {
    const kind = kindOf(finding.rule);
    const key = `${kind}:${finding.severity}`;
    const group = groups.get(key) ?? {
      weight: 0,
      count: 0,
      rules: new Set<string>(),
      words: KIND_WORDS[kind][finding.severity === 'error' ? 0 : 1],
    };
    group.weight += (kind === 'compile' ? WEIGHT.compile : WEIGHT.other)[finding.severity];
    group.count++;
    group.rules.add(finding.rule);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 4)
    .map((group) => {
      const rules = [...group.rules];
      const shown = rules.slice(0, 3).join(', ') + (rules.length > 3 ? ', …' : '');
      return `${group.count} ${group.words}${group.count === 1 ? '' : 's'} (${shown})`;
    });
}

/** HTML elements without a closing tag. */
const VOID = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));

/** How deeply a template's tags nest (roughly: open tags less closed ones, void and self-closed ones aside). */
export function nestingDepth(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (const match of source.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (match[1]) depth--;
    else if (!match[3] && !VOID.has(match[2]!.toLowerCase())) depth = depth + 1;
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}

/** Deeper templates than this are not compiled or linted: the tools slow to minutes on them. */
const MAX_TEMPLATE_DEPTH = 300;

/**
 * The bundle without its templates nested over 300 levels deep (no one writes those; the compiler and the
 * linters take minutes on them), and a finding for each one left out.
 */
export function withoutDeepTemplates(bundle: Bundle): { bundle: Bundle; findings: Finding[] } {
  const files = new Map(bundle.files);
  const findings: Finding[] = [];
  for (const [file, source] of bundle.files) {
    if (!file.endsWith('.html')) continue;
    const depth = nestingDepth(source);
    if (depth <= MAX_TEMPLATE_DEPTH) continue;
    files.delete(file);
    findings.push({
      file,
      line: 1,
      column: 1,
      rule: 'bundle/too-deep',
      severity: 'error',
      message: `the template nests ${depth} levels deep, so it was not compiled, linted or checked`,
      fix: `Flatten the markup (split it into child components); templates rarely need more than ${MAX_TEMPLATE_DEPTH / 10} levels.`,
    });
  }
  return { bundle: { ...bundle, files }, findings };
}

/** The main script of a bundle: name.js, else name.ts. */
function mainScript(bundle: Bundle): { file: string; source: string } | undefined {
  for (const file of [`${bundle.name}.js`, `${bundle.name}.ts`]) {
    const source = bundle.files.get(file);
    if (source !== undefined) return { file, source };
  }
  return undefined;
}

function sortFindings(findings: Finding[]): Finding[] {
  const order = (finding: Finding) => (finding.severity === 'error' ? 0 : 1);
  return findings.sort(
    (a, b) =>
      order(a) - order(b) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.rule.localeCompare(b.rule),
  );
}

/**
 * Runs one check, adding its findings; a check that fails on odd input (a stack overflow on deep nesting)
 * becomes a warning instead of failing the validation. Cancellation still ends it.
 */
async function stage(
  findings: Finding[],
  file: string,
  what: string,
  signal: AbortSignal | undefined,
  run: () => Promise<Finding[]>,
): Promise<void> {
  signal?.throwIfAborted();
  try {
    findings.push(...(await run()));
  } catch (error) {
    if (signal?.aborted) throw error;
    findings.push({
      file,
      line: 1,
      column: 1,
      rule: 'bundle/check-failed',
      severity: 'warning',
      message: `the ${what} failed on this bundle, so its findings are missing: ${String((error as Error)?.message ?? error).split('\n')[0]}`,
      fix: 'Simplify the file the message points at (very deep nesting, huge lines), then validate again.',
    });
  }
}

/**
 * Compiles, lints, checks js-meta.xml and accessibility; never throws for problems in the component.
 * `apiVersion` is the project's sourceApiVersion ("62.0"): the ceiling for the component's own apiVersion.
 */
export async function validateBundle(
  bundle: Bundle,
  options: { apiVersion?: string; signal?: AbortSignal } = {},
): Promise<ValidationReport> {
  const findings: Finding[] = [];
  const script = mainScript(bundle);
  if (!script && !bundle.files.has(`${bundle.name}.html`))
    findings.push({
      file: `${bundle.name}.js`,
      line: 1,
      column: 1,
      rule: 'bundle/missing-file',
      severity: 'error',
      message: `the bundle has no ${bundle.name}.js (nor ${bundle.name}.ts or ${bundle.name}.html)`,
      fix: `Add ${bundle.name}.js exporting a class that extends LightningElement.`,
    });
  else if (!script)
    findings.push({
      file: `${bundle.name}.js`,
      line: 1,
      column: 1,
      rule: 'bundle/missing-file',
      severity: 'error',
      message: `the bundle has a template but no ${bundle.name}.js`,
      fix: `Add ${bundle.name}.js exporting a class that extends LightningElement.`,
    });

  let componentApiVersion: number | undefined;
  const metaFile = `${bundle.name}.js-meta.xml`;
  const meta = bundle.files.get(metaFile);
  if (meta === undefined)
    findings.push({
      file: metaFile,
      line: 1,
      column: 1,
      rule: 'meta/missing',
      severity: 'error',
      message: `the bundle has no ${metaFile}; Salesforce does not deploy a component without it`,
      fix: `Add ${metaFile} with <apiVersion>${options.apiVersion ?? '62.0'}</apiVersion> and <isExposed>false</isExposed>.`,
    });
  else
    await stage(findings, metaFile, 'js-meta.xml check', options.signal, async () => {
      const { checkMetaXml } = await import('./meta-xml.js');
      const checked = checkMetaXml(metaFile, meta, {
        ...(options.apiVersion ? { sourceApiVersion: options.apiVersion } : {}),
        ...(script ? { script: script.source } : {}),
      });
      componentApiVersion = checked.apiVersion;
      return checked.findings;
    });

  // A template nested hundreds of levels deep is not a component anyone wrote; checking it would take minutes.
  const { bundle: target, findings: deep } = withoutDeepTemplates(bundle);
  findings.push(...deep);

  if (meta !== undefined && !/<capability>\s*lightning__dynamicComponent\s*<\/capability>/.test(meta)) {
    for (const [file, source] of target.files) {
      if (!file.endsWith('.html')) continue;
      const at = source.search(/<lwc:component\b/);
      if (at < 0) continue;
      const before = source.slice(0, at).split('\n');
      findings.push({
        file,
        line: before.length,
        column: before.at(-1)!.length + 1,
        rule: 'meta/dynamic-component-capability',
        severity: 'error',
        message: `<lwc:component> needs the lightning__dynamicComponent capability, which ${metaFile} does not declare`,
        fix: `Add <capabilities><capability>lightning__dynamicComponent</capability></capabilities> to ${metaFile} (apiVersion 59.0 or later).`,
      });
    }
  }

  const compileVersion =
    componentApiVersion ?? (options.apiVersion ? Number.parseFloat(options.apiVersion) : undefined);
  const first = script?.file ?? `${bundle.name}.js`;
  await stage(findings, first, 'compiler', options.signal, async () => {
    const { compileBundle } = await import('./compile.js');
    return compileBundle(target, {
      ...(compileVersion && Number.isFinite(compileVersion)
        ? { apiVersion: Math.floor(compileVersion) }
        : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  });
  await stage(findings, first, 'linter', options.signal, async () => {
    const { lintBundle } = await import('./lint.js');
    return lintBundle(target, options.signal ? { signal: options.signal } : {});
  });
  for (const [file, source] of target.files) {
    if (!file.endsWith('.html') || file.includes('__tests__/')) continue;
    await stage(findings, file, 'accessibility check', options.signal, async () => {
      const { checkAccessibility } = await import('./accessibility.js');
      return checkAccessibility(file, source);
    });
  }

  sortFindings(findings);
  return {
    component: `c/${bundle.name}`,
    ...(bundle.relativeDir ? { path: bundle.relativeDir } : {}),
    findings,
    score: scoreOf(findings),
    holdsBack: holdsBackOf(findings),
  };
}

/** One finding as a line: "file:line:col rule — message. Fix: …". */
export function formatFinding(finding: Finding): string {
  const message = finding.message.replace(/\s*\.?\s*$/, '');
  const level = finding.severity === 'warning' ? ' (warning)' : '';
  return `${finding.file}:${finding.line}:${finding.column} ${finding.rule}${level} — ${message}. Fix: ${finding.fix}`;
}

/** The readiness line: "Readiness 87/100: held back by …". */
export function readinessLine(report: ValidationReport): string {
  return report.holdsBack.length
    ? `Readiness ${report.score}/100: held back by ${report.holdsBack.join('; ')}.`
    : `Readiness ${report.score}/100: no findings.`;
}

/** Compact text: one line per finding then the readiness line. */
export function formatReport(report: ValidationReport): string {
  return [...report.findings.map(formatFinding), readinessLine(report)].join('\n');
}
