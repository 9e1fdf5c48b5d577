import { lstat } from 'node:fs/promises';
import { basename, dirname, relative, sep } from 'node:path';
import { type DxProject, ToolError, excerpt, isToolError, z } from '@sfmcp/plugin-api';
import { elements, parseAuraBundle, parseMarkup, type ParsedAura } from './aura-parse.js';
import {
  type DecisionCode,
  type Migration,
  type Part,
  loadMigrationTools,
  lowerFirst,
  migrateAura,
} from './aura-to-lwc.js';
import {
  type Bundle,
  checkBundleName,
  findBundle,
  loadBundle,
  readBundle,
  writeNewBundle,
} from './bundle.js';

/** The js-meta.xml apiVersion when there is no project to take sourceApiVersion from. */
export const DEFAULT_API_VERSION = '62.0';

/** Each decision a blueprint can flag: the question, and the answer we recommend. */
export const DECISIONS: Record<DecisionCode, { question: string; recommendation: string }> = {
  'application-event': {
    question:
      'How should this application event travel in LWC: Lightning Message Service, DOM events, or a pub-sub module?',
    recommendation:
      'Lightning Message Service (the channel the migration wrote) when publisher and subscriber sit in different parts of the page or in Aura and LWC at once; a CustomEvent when one is the parent of the other; not a hand-made pub-sub module (unsupported across namespaces).',
  },
  'public-attribute-set': {
    question:
      'Is this attribute set by a parent (public, @api) or only by the component itself (a private field)?',
    recommendation:
      'Keep @api only for what parents or App Builder set; a public property the component changes keeps its value in a private backing field (as generated), or the component raises an event asking the parent to change it.',
  },
  'untranslated-code': {
    question: 'How should the code left as TODO(aura-migration) comments work in LWC?',
    recommendation:
      'Rewrite each TODO by hand with the LWC API it names (lwc:component or a child for $A.createComponent, this.template.querySelectorAll for several aura:id, getters for computed values), then delete the comment; run validate again.',
  },
  'template-expression': {
    question:
      'How should an expression LWC templates cannot hold (operators, functions, iteration variables) be computed?',
    recommendation:
      'A getter for component-level values; for per-item values, map the list in JavaScript to items that carry the computed field (or render each item with a child component).',
  },
  'iteration-key': {
    question: 'Which field is each item’s unique key?',
    recommendation: 'The record Id for records; another unique, stable value otherwise; never the index.',
  },
  'two-way-binding': {
    question: 'How does the value flow back from the input now that LWC binds one way?',
    recommendation:
      'An onchange handler that copies event.detail.value into the property (generated where the attribute was bound directly).',
  },
  'child-component': {
    question: 'Is the child component already an LWC?',
    recommendation:
      'Migrate the leaf components first (an LWC cannot contain an Aura component); until then keep this component in Aura, or wrap the new LWC in an Aura component.',
  },
  'unsupported-feature': {
    question: 'What replaces this Aura feature that LWC lacks?',
    recommendation:
      'Follow the reason given for the part: an Aura wrapper for what LWC cannot do (action overrides, page templates), a JavaScript base class or module for extends/abstract, targetConfig settings for quick actions.',
  },
  'record-data': {
    question: 'Which fields does the record need, and how is it saved?',
    recommendation:
      "List them as Object.Field imports (@salesforce/schema/Account.Name) in getRecord's fields; save with updateRecord or lightning-record-edit-form; then drop layoutTypes.",
  },
  'boolean-default': {
    question: 'Should this Boolean keep its default of true?',
    recommendation:
      'Invert the property (hideX instead of showX) so it defaults to false, as LWC requires of public booleans.',
  },
  'name-clash': {
    question: 'Which name should this member get in LWC?',
    recommendation: 'Rename it in the Aura component and its parents first, then migrate.',
  },
  'event-name': {
    question: 'What do the parents listen for now?',
    recommendation:
      'LWC event names are lower case without hyphens: update each parent to on<name> and event.detail.<param>; prefer bubbles: false, composed: false unless a grandparent must hear it.',
  },
};

/** What the blueprint publishes for each part (small). */
export const partSchema = z.object({
  area: z.string(),
  aura: z.string(),
  lwc: z.string(),
  needsDecision: z.object({ code: z.string(), reason: z.string() }).optional(),
});

export interface Blueprint {
  component: string;
  kind: string;
  /** Where the Aura bundle came from: its folder in the project, or "files". */
  source: string;
  files: string[];
  lwcName: string;
  apexController?: string;
  targets: string[];
  parts: z.infer<typeof partSchema>[];
  filePlan: { file: string; purpose: string }[];
  todos: number;
  blocked: string[];
}

export interface Analysis {
  bundle: Bundle;
  parsed: ParsedAura;
  migration: Migration;
  blueprint: Blueprint;
  project?: DxProject;
}

/** Aura event attributes, from an .evt file's markup. */
function eventAttributes(source: string, file: string): string[] | undefined {
  try {
    const root = parseMarkup(file, source);
    if (root.tag !== 'aura:event') return undefined;
    return elements(root)
      .filter((element) => element.tag === 'aura:attribute' && element.attrs.name)
      .map((element) => element.attrs.name!);
  } catch {
    return undefined;
  }
}

/**
 * Reads the Aura bundle a call names (files, path or componentName), parses it and converts it; the application
 * events it uses are looked up (in files, or as bundles of the project) for their attributes.
 */
export async function analyzeAura(
  ctx: { project(directory?: string): Promise<DxProject> },
  args: { componentName?: string; path?: string; files?: unknown; lwcName?: string },
): Promise<Analysis> {
  const bundle = await loadBundle(ctx, 'aura', args);
  const project = bundle.dir ? await ctx.project() : undefined;
  // .evt files of other events that came with `files` describe events, not this bundle
  const eventFiles = new Map<string, string>();
  const own = new Map<string, string>();
  for (const [file, content] of bundle.files) {
    const name = basename(file).replace(/\.evt$/, '');
    if (file.endsWith('.evt') && name !== bundle.name) eventFiles.set(name, content);
    else own.set(file, content);
  }
  const parsed = parseAuraBundle({ ...bundle, files: own });
  const lwcName = checkLwcName(args.lwcName ?? lowerFirst(parsed.name), args.lwcName === undefined);
  const options = { lwcName, apiVersion: project?.sourceApiVersion ?? DEFAULT_API_VERSION };
  await loadMigrationTools();
  let migration = convert(parsed, options);
  if (migration.messageChannels.size) {
    const attributes = new Map<string, string[]>();
    for (const channel of migration.messageChannels.keys()) {
      const name = channel.replace(/\.messageChannel-meta\.xml$/, '');
      let found: string[] | undefined;
      if (eventFiles.has(name)) found = eventAttributes(eventFiles.get(name)!, `${name}.evt`);
      else if (project) found = await projectEvent(project, name);
      if (found) attributes.set(name, found);
    }
    if (attributes.size) migration = convert(parsed, { ...options, eventAttributes: attributes });
  }
  const blueprint = blueprintOf(bundle, parsed, migration);
  return { bundle, parsed, migration, blueprint, ...(project ? { project } : {}) };
}

function convert(parsed: ParsedAura, options: Parameters<typeof migrateAura>[1]): Migration {
  return migrateAura(parsed, options);
}

function checkLwcName(name: string, derived: boolean): string {
  try {
    return checkBundleName('lwc', name);
  } catch (error) {
    if (derived && isToolError(error))
      throw new ToolError(
        `The Aura name gives ${JSON.stringify(excerpt(name))}, not a valid Lightning Web Component name.`,
        'Pass lwcName: camelCase from a lower-case letter, letters, digits and single underscores.',
        { kind: 'invalid' },
      );
    throw error;
  }
}

async function projectEvent(project: DxProject, name: string): Promise<string[] | undefined> {
  try {
    const dir = await findBundle(project, 'aura', name);
    const event = await readBundle(project, 'aura', dir);
    const source = event.files.get(`${name}.evt`);
    return source === undefined ? undefined : eventAttributes(source, `${name}.evt`);
  } catch {
    return undefined;
  }
}

const PURPOSE: Record<string, string> = {
  js: 'the class: @api properties from the attributes, imports (Apex, labels, toast, navigation, message service), lifecycle hooks from the handlers, methods from the controller and helper',
  html: 'the template converted from the markup (lwc:if, for:each, lightning-* tags, {property} bindings)',
  'js-meta.xml':
    'apiVersion, isExposed, targets from the interfaces, targetConfig properties from the design attributes',
  css: 'the styles, .THIS → :host',
  svg: 'the icon',
};

export function blueprintOf(bundle: Bundle, parsed: ParsedAura, migration: Migration): Blueprint {
  const filePlan = [...migration.files.keys()].map((file) => ({
    file: `lwc/${migration.lwcName}/${file}`,
    purpose: PURPOSE[file.slice(migration.lwcName.length + 1)] ?? 'copied',
  }));
  for (const channel of migration.messageChannels.keys())
    filePlan.push({
      file: `messageChannels/${channel}`,
      purpose: 'the Lightning Message Service channel an application event became',
    });
  filePlan.push({
    file: `lwc/${migration.lwcName}/__tests__/${migration.lwcName}.test.js`,
    purpose:
      'a Jest test (not generated here): mount the component, mock the Apex imports, assert the rendered list and the events',
  });
  return {
    component: parsed.name,
    kind: parsed.kind,
    source: bundle.relativeDir ?? 'files',
    files: [...bundle.files.keys()].sort(),
    lwcName: migration.lwcName,
    ...(parsed.markup.attrs.controller ? { apexController: parsed.markup.attrs.controller } : {}),
    targets: migration.targets,
    parts: migration.parts.map((part) => publishedPart(part)),
    filePlan,
    todos: migration.todos,
    blocked: migration.blocked,
  };
}

function publishedPart(part: Part): z.infer<typeof partSchema> {
  return {
    area: part.area,
    aura: excerpt(part.aura, 200),
    lwc: excerpt(part.lwc, 240),
    ...(part.decision ? { needsDecision: { code: part.decision.code, reason: part.decision.reason } } : {}),
  };
}

export function countsOf(blueprint: Blueprint): Record<string, number> {
  const count = (area: string) => blueprint.parts.filter((part) => part.area === area).length;
  return {
    parts: blueprint.parts.length,
    needsDecision: blueprint.parts.filter((part) => part.needsDecision).length,
    attributes: count('attribute'),
    handlers: count('handler'),
    events: count('event'),
    apex: blueprint.parts.filter((part) => part.area === 'apex' && part.aura.includes('c.')).length,
    components: count('component'),
    labels: count('label'),
    todos: blueprint.todos,
  };
}

const DECISION_MARK = ' | NEEDS DECISION (';

/** The blueprint as compact text; enhance_aura_blueprint_draft reads this text back. */
export function formatBlueprint(blueprint: Blueprint): string {
  const counts = countsOf(blueprint);
  const lines = [
    `Aura blueprint: c:${blueprint.component} (${blueprint.kind}) from ${blueprint.source}; files: ${blueprint.files.join(', ')}`,
    `LWC: c/${blueprint.lwcName}${blueprint.apexController ? `; Apex controller ${blueprint.apexController}` : ''}; targets: ${blueprint.targets.join(', ') || 'none (not exposed)'}`,
    `Parts: ${counts.parts} (${counts.needsDecision} need a decision; ${counts.todos} TODO markers in the converted code)`,
    ...blueprint.blocked.map((reason) => `Blocks the migration: ${reason}.`),
    '',
  ];
  for (const part of blueprint.parts)
    lines.push(
      `[${part.area}] ${oneLine(part.aura)} → ${oneLine(part.lwc)}${part.needsDecision ? `${DECISION_MARK}${part.needsDecision.code}): ${oneLine(part.needsDecision.reason)}` : ''}`,
    );
  lines.push('', 'File plan:');
  for (const item of blueprint.filePlan) lines.push(`- ${item.file}: ${item.purpose}`);
  return lines.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

export interface Enhanced {
  component?: string;
  lwcName?: string;
  derivedFrom: 'json' | 'text' | 'free-text';
  decisions: { code: string; question: string; recommendation: string; affects: string[] }[];
  filePlan: { file: string; purpose: string }[];
  notDerived: string[];
}

const blueprintJson = z.object({
  component: z.string(),
  lwcName: z.string(),
  parts: z.array(partSchema),
  filePlan: z.array(z.object({ file: z.string(), purpose: z.string() })).optional(),
});

/** Constructs a free-text description may name, and the decision each brings. */
const FREE_TEXT_SIGNS: [RegExp, DecisionCode, string][] = [
  [/\$A\.get\(\s*['"]e\.c:|application event|APPLICATION/i, 'application-event', 'an application event'],
  [/aura:attribute|attribute/i, 'public-attribute-set', 'attributes'],
  [/aura:iteration|iteration/i, 'iteration-key', 'a list (aura:iteration)'],
  [/\bc:\w+/, 'child-component', 'child components (c:...)'],
  [/force:recordData/i, 'record-data', 'force:recordData'],
  [/\$A\.createComponent|extends=|abstract/i, 'unsupported-feature', 'dynamic components or inheritance'],
  [/value="\{!v\./i, 'two-way-binding', 'bound inputs'],
];

/** Reads a draft (our JSON or text blueprint, or free text) and adds decisions with answers and the file plan. */
export function enhanceDraft(draft: string): Enhanced {
  const text = draft.trim();
  let parts: z.infer<typeof partSchema>[] | undefined;
  let component: string | undefined;
  let lwcName: string | undefined;
  let filePlan: { file: string; purpose: string }[] = [];
  let derivedFrom: Enhanced['derivedFrom'] = 'free-text';
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ToolError(
        `draftPrd looks like JSON but does not parse: ${(error as Error).message}`,
        'Pass the blueprint text or JSON create_aura_blueprint_draft returned.',
        {
          kind: 'invalid',
        },
      );
    }
    const checked = blueprintJson.safeParse(parsed);
    if (checked.success) {
      ({ component, lwcName, parts } = checked.data);
      filePlan = checked.data.filePlan ?? [];
      derivedFrom = 'json';
    }
  }
  if (!parts) {
    const header = /^Aura blueprint: c:(\w+)/m.exec(text);
    if (header) {
      component = header[1];
      lwcName = /^LWC: c\/(\w+)/m.exec(text)?.[1];
      parts = [];
      for (const line of text.split('\n')) {
        const match = /^\[(\w+)\] (.*)$/.exec(line.trim());
        if (!match) {
          const plan = /^- ((?:lwc|messageChannels)\/\S+): (.*)$/.exec(line.trim());
          if (plan) filePlan.push({ file: plan[1]!, purpose: plan[2]! });
          continue;
        }
        const [mapping, decision] = match[2]!.split(DECISION_MARK);
        const [aura, lwc] = splitOnce(mapping!, ' → ');
        const code = decision ? /^([\w-]+)\): (.*)$/.exec(decision) : undefined;
        parts.push({
          area: match[1]!,
          aura,
          lwc,
          ...(code ? { needsDecision: { code: code[1]!, reason: code[2]! } } : {}),
        });
      }
      derivedFrom = 'text';
    }
  }
  const decisions = new Map<string, Enhanced['decisions'][number]>();
  const notDerived: string[] = [];
  if (parts) {
    for (const part of parts) {
      if (!part.needsDecision) continue;
      const known = DECISIONS[part.needsDecision.code as DecisionCode];
      const entry = decisions.get(part.needsDecision.code) ?? {
        code: part.needsDecision.code,
        question: known?.question ?? 'Decide how this part works in LWC.',
        recommendation: known?.recommendation ?? part.needsDecision.reason,
        affects: [],
      };
      entry.affects.push(`${part.aura}: ${part.needsDecision.reason}`);
      decisions.set(part.needsDecision.code, entry);
    }
    if (!filePlan.length) notDerived.push('the file plan (the draft lists none)');
  } else {
    for (const [pattern, code, what] of FREE_TEXT_SIGNS)
      if (pattern.test(text))
        decisions.set(code, { code, ...DECISIONS[code], affects: [`the draft mentions ${what}`] });
    notDerived.push(
      'the component name and its files',
      'each part mapped to its LWC equivalent (attributes, handlers, events, Apex calls, markup)',
      'the file plan',
    );
  }
  if (lwcName && !filePlan.length) {
    const extensions = ['js', 'html', 'js-meta.xml'];
    if (parts?.some((part) => part.area === 'file' && part.aura.endsWith('.css'))) extensions.push('css');
    if (parts?.some((part) => part.area === 'file' && part.aura.endsWith('.svg'))) extensions.push('svg');
    filePlan = extensions.map((extension) => ({
      file: `lwc/${lwcName}/${lwcName}.${extension}`,
      purpose: PURPOSE[extension]!,
    }));
    for (const part of parts ?? []) {
      const channel = /\(messageChannels\/([\w.-]+\.messageChannel-meta\.xml)\)/.exec(part.lwc)?.[1];
      if (channel)
        filePlan.push({
          file: `messageChannels/${channel}`,
          purpose: 'the Lightning Message Service channel an application event became',
        });
    }
  }
  return {
    ...(component ? { component } : {}),
    ...(lwcName ? { lwcName } : {}),
    derivedFrom,
    decisions: [...decisions.values()],
    filePlan,
    notDerived,
  };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

export function formatEnhanced(enhanced: Enhanced): string {
  const lines: string[] = [];
  lines.push(
    enhanced.component
      ? `Enhanced blueprint: c:${enhanced.component} → c/${enhanced.lwcName ?? lowerFirst(enhanced.component)} (from the ${enhanced.derivedFrom === 'json' ? 'JSON' : 'text'} blueprint).`
      : 'Enhanced draft (free text: not a blueprint from create_aura_blueprint_draft).',
  );
  lines.push('', `Decisions (${enhanced.decisions.length}):`);
  enhanced.decisions.forEach((decision, index) => {
    lines.push(`${index + 1}. [${decision.code}] ${decision.question}`);
    lines.push(`   Recommended: ${decision.recommendation}`);
    for (const affected of decision.affects.slice(0, 8)) lines.push(`   - ${affected}`);
    if (decision.affects.length > 8) lines.push(`   - … ${decision.affects.length - 8} more`);
  });
  if (!enhanced.decisions.length) lines.push('None: every part maps mechanically.');
  lines.push('', 'LWC file plan:');
  for (const item of enhanced.filePlan) lines.push(`- ${item.file}: ${item.purpose}`);
  if (!enhanced.filePlan.length) lines.push('- (none derived)');
  if (enhanced.notDerived.length) lines.push('', `Could not derive: ${enhanced.notDerived.join('; ')}.`);
  if (enhanced.derivedFrom === 'free-text')
    lines.push(
      'For a full blueprint run create_aura_blueprint_draft on the Aura bundle (componentName, path or files).',
    );
  return lines.join('\n');
}

/** Where the LWC goes: beside the Aura folder (…/aura/X → …/lwc/lwcName), else the default package directory. */
export function lwcFolder(analysis: Analysis): { lwcDir: string; baseDir: string } {
  const { bundle, project, migration } = analysis;
  let base: string;
  if (bundle.relativeDir && basename(dirname(bundle.relativeDir)) === 'aura')
    base = dirname(dirname(bundle.relativeDir));
  else base = `${relative(project!.root, project!.packageDirectories[0]!).split(sep).join('/')}/main/default`;
  return { lwcDir: `${base}/lwc/${migration.lwcName}`, baseDir: base };
}

export interface MigrationResult {
  text: string;
  structured: {
    lwcName: string;
    dryRun: boolean;
    written: string[];
    errors: number;
    warnings: number;
    needsDecision: number;
    todos: number;
  };
}

/**
 * The migration a tool call asks for: the LWC files from the Aura bundle, written into the project (all or
 * nothing, an existing LWC refused) unless dryRun or files, then validated.
 */
export async function runMigration(
  ctx: { project(directory?: string): Promise<DxProject>; signal: AbortSignal; responseBudget: number },
  args: { componentName?: string; path?: string; files?: unknown; lwcName?: string; dryRun?: boolean },
): Promise<MigrationResult> {
  const analysis = await analyzeAura(ctx, args);
  const { parsed, migration, project, blueprint } = analysis;
  if (parsed.kind !== 'component')
    throw new ToolError(
      `c:${parsed.name} is an Aura ${parsed.kind}, not a component: only components (.cmp) become LWC bundles.`,
      parsed.kind === 'event'
        ? 'Migrate the components that fire or handle it: application events become message channels, component events CustomEvents.'
        : 'Migrate the components it holds.',
      { kind: 'invalid' },
    );
  if (migration.blocked.length)
    throw new ToolError(
      `c:${parsed.name} cannot become an LWC as it stands: ${migration.blocked.join('; ')}. Nothing was written.`,
      'create_aura_blueprint_draft lists every part and decision.',
      { kind: 'invalid' },
    );
  const dryRun = args.dryRun === true || !project;
  const written: string[] = [];
  const reused: string[] = [];
  const notes: string[] = [];
  let relativeDir: string | undefined;
  let lwcDir = `lwc/${migration.lwcName}`;
  if (project) {
    const folder = lwcFolder(analysis);
    lwcDir = folder.lwcDir;
    const existing = await lstat(project.resolve(folder.lwcDir)).catch(() => undefined);
    if (existing && !dryRun)
      throw new ToolError(
        `${folder.lwcDir} already exists; nothing was written.`,
        'Pass another lwcName, or remove the folder first.',
        { kind: 'invalid' },
      );
    if (existing)
      notes.push(`${folder.lwcDir} already exists: writing would be refused; pass another lwcName.`);
    const files = new Map<string, string>();
    for (const [file, content] of migration.files) files.set(`lwc/${migration.lwcName}/${file}`, content);
    for (const [file, content] of migration.messageChannels) {
      const target = `${folder.baseDir}/messageChannels/${file}`;
      if (await lstat(project.resolve(target)).catch(() => undefined)) reused.push(target);
      else files.set(`messageChannels/${file}`, content);
    }
    if (!dryRun) {
      ctx.signal.throwIfAborted();
      written.push(...(await writeNewBundle(project, folder.baseDir, files)));
      relativeDir = folder.lwcDir;
    }
  }
  const { validateBundle, formatReport } = await import('./validate.js');
  const report = await validateBundle(
    {
      kind: 'lwc',
      name: migration.lwcName,
      files: migration.files,
      ...(relativeDir && project ? { relativeDir, dir: project.resolve(relativeDir) } : {}),
    },
    { ...(project?.sourceApiVersion ? { apiVersion: project.sourceApiVersion } : {}), signal: ctx.signal },
  );
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const decisions = blueprint.parts.filter((part) => part.needsDecision);
  const lines: string[] = [];
  lines.push(
    dryRun
      ? `Migration plan for c:${parsed.name} → c/${migration.lwcName} (${project ? 'dry run: nothing written' : 'from files: nothing written'}).`
      : `Migrated c:${parsed.name} → c/${migration.lwcName}: wrote ${written.length} files.`,
  );
  if (written.length) for (const file of written) lines.push(`- ${file}`);
  for (const file of reused) lines.push(`- ${file} already exists: kept, the LWC uses it`);
  for (const note of notes) lines.push(`- ${note}`);
  lines.push(
    '',
    `Validation (compile, lint, js-meta.xml, accessibility): ${errors} errors, ${warnings} warnings.`,
    formatReport(report),
  );
  lines.push(
    '',
    `Needs a human decision (${decisions.length}; ${migration.todos} TODO(aura-migration) markers in the code):`,
  );
  for (const part of decisions.slice(0, 40))
    lines.push(
      `- [${part.needsDecision!.code}] ${oneLine(part.aura)}: ${oneLine(part.needsDecision!.reason)}`,
    );
  if (decisions.length > 40)
    lines.push(`- … ${decisions.length - 40} more (create_aura_blueprint_draft lists them all)`);
  if (!decisions.length) lines.push('- none');
  if (dryRun) {
    const planned = [
      ...[...migration.files].map(([file, content]) => [`${lwcDir}/${file}`, content] as const),
      ...[...migration.messageChannels].map(
        ([file, content]) => [`messageChannels/${file}`, content] as const,
      ),
    ];
    let budget = Math.max(4_000, ctx.responseBudget - Buffer.byteLength(lines.join('\n')) - 2_000);
    lines.push('', 'Files:');
    for (const [file, content] of planned) {
      const size = Buffer.byteLength(content);
      if (size <= budget) {
        lines.push(`--- ${file}`, content.trimEnd());
        budget -= size;
      } else lines.push(`--- ${file} (${size} bytes; left out to keep the answer within its budget)`);
    }
  }
  if (migration.lwcName.toLowerCase() === parsed.name.toLowerCase())
    lines.push(
      '',
      `Note: c/${migration.lwcName} has the Aura component's name; if the Aura bundle stays deployed, Salesforce may refuse the LWC until the Aura one is deleted (or pass lwcName).`,
    );
  return {
    text: lines.join('\n'),
    structured: {
      lwcName: migration.lwcName,
      dryRun,
      written,
      errors,
      warnings,
      needsDecision: decisions.length,
      todos: migration.todos,
    },
  };
}
