import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ESLint, Linter } from 'eslint';
import type { Bundle } from './bundle.js';
import type { Finding } from './validate.js';

const require = createRequire(import.meta.url);

interface LintSetup {
  eslint: ESLint;
  /** Rule id → its docs URL and description, for the fix text. */
  docs: Map<string, { url?: string; description?: string }>;
}

let setup: Promise<LintSetup> | undefined;

/** Where file paths given to ESLint live: a folder no config lookup ever reads (overrideConfigFile: true). */
const VIRTUAL_ROOT = join(process.cwd(), '__sfmcp_lwc_lint__');

/**
 * ESLint 9 with the LWC team's recommended flat config (@salesforce/eslint-config-lwc: @lwc/eslint-plugin-lwc,
 * @salesforce/eslint-plugin-lightning, import and jest rules) for JavaScript and TypeScript, and the SLDS
 * plugin's recommended configs for HTML templates and CSS. Built once, in code; no config file is read.
 */
async function lintSetup(): Promise<LintSetup> {
  const { ESLint } = await import('eslint');
  const lwcConfig = require('@salesforce/eslint-config-lwc') as {
    configs: { recommended: Linter.Config[]; recommendedTs: Linter.Config[] };
  };
  const slds = require('@salesforce-ux/eslint-plugin-slds') as {
    configs: Record<string, Linter.Config[]>;
  };
  const scoped = (configs: Linter.Config[], files: string[]): Linter.Config[] =>
    configs.map((config) => ({ ...config, files }));
  const overrideConfig: Linter.Config[] = [
    ...scoped(lwcConfig.configs.recommended, ['**/*.js']),
    ...scoped(lwcConfig.configs.recommendedTs, ['**/*.ts']),
    // Babel's scope analysis does not see TypeScript types, so no-undef flags every interface and type name
    // (typescript-eslint's advice: leave undefined names to the TypeScript compiler).
    { files: ['**/*.ts'], rules: { 'no-undef': 'off' } },
    // Tests emit through wire adapters: the sf CLI's project template turns this rule off for them, as here.
    {
      files: ['**/*.test.js', '**/__tests__/**/*.js'],
      rules: { '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off' },
    },
    ...(slds.configs['flat/recommended'] ?? []),
    { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  ];
  const eslint = new ESLint({
    cwd: VIRTUAL_ROOT,
    overrideConfigFile: true,
    overrideConfig,
    ignore: false,
  });
  const docs = new Map<string, { url?: string; description?: string }>();
  for (const config of overrideConfig) {
    for (const [prefix, plugin] of Object.entries(config.plugins ?? {})) {
      for (const [name, rule] of Object.entries(plugin.rules ?? {})) {
        const meta = (rule as { meta?: { docs?: { url?: string; description?: string } } }).meta;
        docs.set(`${prefix}/${name}`, {
          ...(meta?.docs?.url ? { url: meta.docs.url } : {}),
          ...(meta?.docs?.description ? { description: meta.docs.description } : {}),
        });
      }
    }
  }
  return { eslint, docs };
}

/** Our one-line advice for the rules LWC code trips most. */
const ADVICE: Record<string, string> = {
  '@lwc/lwc/no-inner-html':
    'Do not set innerHTML/outerHTML; build the markup in the template, or use lightning-formatted-rich-text for trusted rich text.',
  '@lwc/lwc/no-document-query':
    'Query your own template with this.template.querySelector (or this.refs with lwc:ref), not document.',
  '@lwc/lwc/no-async-operation':
    'Avoid setTimeout/setInterval/requestAnimationFrame; if one is truly needed, add an eslint-disable comment saying why.',
  '@lwc/lwc/no-api-reassignments':
    'A component must not assign its own @api property; copy it into a private field and change that.',
  '@lwc/lwc/no-attributes-during-construction':
    'Set host attributes in connectedCallback, not in the constructor.',
  '@lwc/lwc/prefer-custom-event': 'Dispatch a CustomEvent (new CustomEvent("name", { detail })).',
  '@lwc/lwc/valid-api': 'Fix the @api declaration as the message says (camelCase, no reserved names).',
  '@lwc/lwc/valid-wire': 'Give @wire an imported adapter and a config object, on a property or method.',
  '@lwc/lwc/valid-track': 'Use @track only on class fields (and only for objects/arrays you mutate).',
  '@lwc/lwc/no-unknown-wire-adapters': 'Wire only adapters from lightning/* or @salesforce/* modules.',
  '@lwc/lwc/no-leading-uppercase-api-name': 'Start @api property names with a lower-case letter.',
  '@lwc/lwc/no-deprecated': 'Replace the deprecated API as the message says.',
  '@lwc/lwc/no-disallowed-lwc-imports': 'Import only what the lwc module exports to components.',
  '@lwc/lwc/no-template-children': 'Read rendered children from this.template, not this.template.children.',
  '@salesforce/lightning/valid-apex-method-invocation':
    'Call an imported Apex method with one object argument: method({ param: value }).',
  'no-unused-vars': 'Remove the unused variable or import.',
  'no-console': 'Remove console calls before release.',
  'no-undef': 'Declare or import the name.',
  '@salesforce-ux/slds/enforce-bem-usage': 'Use the SLDS BEM class name the message gives (double dashes).',
  '@salesforce-ux/slds/no-deprecated-classes-slds2': 'Replace the class: it is removed in SLDS 2.',
  '@salesforce-ux/slds/no-hardcoded-values-slds2':
    'Use an SLDS styling hook (var(--slds-…)) instead of a hard-coded value.',
  '@salesforce-ux/slds/lwc-token-to-slds-hook':
    'Replace the --lwc- token with the SLDS styling hook the message names.',
};

function adviceFor(ruleId: string, docs: LintSetup['docs']): string {
  const own = ADVICE[ruleId];
  const doc = docs.get(ruleId);
  if (own) return own;
  if (doc?.description) {
    const text = doc.description.replace(/\.$/, '');
    return `${text[0]!.toUpperCase()}${text.slice(1)}${doc.url ? ` (${doc.url})` : ''}.`;
  }
  return doc?.url ? `See ${doc.url}.` : 'Change the code as the message says.';
}

/** A file ESLint checks: component JavaScript/TypeScript (tests too), templates and styles. */
function isLinted(file: string): boolean {
  return /\.(js|ts|html|css)$/.test(file) && !file.endsWith('.d.ts');
}

/** Lints each JS, TS, HTML and CSS file of the bundle. Never throws for problems in the component. */
export async function lintBundle(bundle: Bundle, options: { signal?: AbortSignal } = {}): Promise<Finding[]> {
  setup ??= lintSetup();
  let ready: LintSetup;
  try {
    ready = await setup;
  } catch (error) {
    setup = undefined;
    return [
      {
        file: `${bundle.name}.js`,
        line: 1,
        column: 1,
        rule: 'lint/unavailable',
        severity: 'warning',
        message: `ESLint could not start, so the bundle was not linted: ${(error as Error).message}`,
        fix: 'Reinstall @sfmcp/lwc-experts so its ESLint plugins are present.',
      },
    ];
  }
  const findings: Finding[] = [];
  for (const [file, source] of bundle.files) {
    if (!isLinted(file)) continue;
    options.signal?.throwIfAborted();
    let results: ESLint.LintResult[];
    try {
      results = await ready.eslint.lintText(source, {
        filePath: join(VIRTUAL_ROOT, 'lwc', bundle.name, file),
        warnIgnored: false,
      });
    } catch (error) {
      findings.push({
        file,
        line: 1,
        column: 1,
        rule: 'lint/crashed',
        severity: 'warning',
        message: `ESLint failed on this file: ${(error as Error).message.split('\n')[0]}`,
        fix: 'Fix the compile errors first; then validate again.',
      });
      continue;
    }
    for (const result of results) {
      for (const message of result.messages) {
        // A parse error is the compiler's to report (with its LWC code); the linter would only repeat it.
        if (message.fatal || !message.ruleId) continue;
        // The SLDS rule also reports values it has no styling hook for ("100%"): nothing to replace them with.
        if (
          message.ruleId.startsWith('@salesforce-ux/slds/no-hardcoded-values') &&
          /no replacement styling hook/i.test(message.message)
        )
          continue;
        findings.push({
          file,
          line: message.line || 1,
          column: message.column || 1,
          rule: message.ruleId,
          severity: message.severity === 2 ? 'error' : 'warning',
          message: message.message.replace(/\s*\n\s*/g, ' ').trim(),
          fix: adviceFor(message.ruleId, ready.docs),
        });
      }
    }
  }
  return findings;
}
