/**
 * The SLDS catalogues the installed packages ship, read on first use and kept:
 * - @salesforce-ux/sds-metadata current/*.json: global and shared styling hooks with values, the SLDS and SLDS+
 *   hook lists, deprecated hooks and classes, value → hook, old --lwc-* tokens → hooks, BEM renames, classes;
 * - @salesforce-ux/design-system ui.json (every blueprint: summary, type, selectors) and
 *   metadata/components/*\/styling-hooks.json (component hooks, --slds-c-*, with their fallback values).
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type HookScope = 'global' | 'shared' | 'component' | 'kinetics';

export interface StylingHook {
  name: string;
  scope: HookScope;
  /** As the metadata writes it: color, font, spacing, sizing, radius, shadow, duration, ratio, ... */
  category: string;
  /** palette, system, semantic, or the hook's group (surface, accent, ...). */
  subcategory: string;
  /** color, dimension, font-family, font-size, font-weight, line-height, shadow, timing, ... */
  type: string;
  /** CSS properties the hook is meant for. */
  properties: string[];
  /** The SLDS value (a component hook's fallback value). */
  value: string;
  /** The SLDS 2 "cosmos" theme value, when the metadata gives one. */
  cosmosValue?: string;
  /** In the SLDS+ (SLDS 2) hook list. */
  sldsPlus: boolean;
  deprecated: boolean;
  /** For a deprecated hook: what to use instead, and how that was found. */
  replacement?: string;
  /** For --slds-c-*: the blueprint (design-system component folder) that documents it. */
  component?: string;
}

export interface StylingCatalog {
  hooks: Map<string, StylingHook>;
  /** Raw value → hooks that carry it (valueToStylingHooks.slds.json). */
  byValue: Map<string, { name: string; properties: string[]; group: string }[]>;
  /** Old design tokens (--lwc-brandPrimary) → their SLDS hook or value. */
  lwcTokens: Map<string, { replacement: string; deprecated: boolean }>;
  release: string;
}

/** A package's folder, for packages whose "exports" hide package.json too (sds-metadata). */
function packageRoot(name: string): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    let dir = dirname(require.resolve(name));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    return dir;
  }
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

interface MetadataHook {
  category?: string;
  group?: string;
  scope?: string;
  properties?: string[];
  values?: Record<string, string>;
}

function inferType(category: string, name: string): string {
  const lower = category.toLowerCase();
  if (lower === 'color') return 'color';
  if (lower.includes('shadow')) return 'shadow';
  if (lower === 'fontfamily' || name.includes('font-family')) return 'font-family';
  if (lower === 'duration' || lower === 'timing') return 'timing';
  if (name.includes('font-weight')) return 'font-weight';
  if (/line-?height/.test(name)) return 'line-height';
  if (/font-(scale|size)/.test(name)) return 'font-size';
  if (lower === 'font' || lower === 'text') return 'font-size';
  return 'dimension';
}

function inferSubcategory(name: string, category: string, group?: string): string {
  if (name.includes('-palette-')) return 'palette';
  if (/-color-[a-z]+-base-/.test(name)) return 'system';
  if (group && group !== 'unknown') return group;
  if (category === 'color') return 'semantic';
  const rest = name.replace(/^--slds-[a-z]+-/, '').split('-');
  const at = rest.indexOf(category);
  const next = at >= 0 ? rest[at + 1] : rest[1];
  return next && !/^\d/.test(next) ? next : 'base';
}

function normalizeCategory(category: string): string {
  const lower = category.toLowerCase();
  if (lower === 'box shadow') return 'shadow';
  if (lower === 'fontfamily') return 'font';
  return lower;
}

let stylingCache: Promise<StylingCatalog> | undefined;

async function loadStyling(): Promise<StylingCatalog> {
  const metadata = join(packageRoot('@salesforce-ux/sds-metadata'), 'current');
  const design = packageRoot('@salesforce-ux/design-system');
  const [globalMeta, slds, sldsPlus, deprecated, renamed, excluded, valueIndex, lwcToSlds, release] =
    await Promise.all([
      readJson<Record<string, Record<string, MetadataHook>>>(
        join(metadata, 'globalStylingHooks.metadata.json'),
      ),
      readJson<Record<string, string[]>>(join(metadata, 'sldsStylingHooks.json')),
      readJson<Record<string, string[]>>(join(metadata, 'sldsPlusStylingHooks.json')),
      readJson<string[]>(join(metadata, 'deprecatedStylingHooks.json')),
      readJson<Record<string, string>>(join(metadata, 'slds1DeprecatedComponentHooks.json')),
      readJson<Record<string, string>>(join(metadata, 'slds1ExcludedVars.json')),
      readJson<Record<string, { name: string; properties: string[]; group: string }[]>>(
        join(metadata, 'valueToStylingHooks.slds.json'),
      ),
      readJson<Record<string, { deprecated: boolean; replacement: string }>>(
        join(metadata, 'lwc-to-slds.json'),
      ),
      readJson<{ slds?: { name?: string } }>(join(metadata, 'release-info.json')),
    ]);
  const hooks = new Map<string, StylingHook>();
  const plus = new Set(Object.values(sldsPlus).flat());

  for (const [section, entries] of Object.entries(globalMeta)) {
    for (const [name, entry] of Object.entries(entries)) {
      const category = normalizeCategory(entry.category ?? 'other');
      const scope: HookScope = name.startsWith('--slds-c-')
        ? 'component'
        : name.startsWith('--slds-s-')
          ? 'shared'
          : section === 'shared'
            ? 'shared'
            : 'global';
      hooks.set(name, {
        name,
        scope,
        category,
        subcategory: inferSubcategory(name, category, entry.group),
        type: inferType(category, name),
        properties: entry.properties ?? [],
        value: entry.values?.slds ?? '',
        ...(entry.values?.cosmos && entry.values.cosmos !== entry.values.slds
          ? { cosmosValue: entry.values.cosmos }
          : {}),
        sldsPlus: plus.has(name),
        deprecated: false,
      });
    }
  }

  const componentsDir = join(design, 'metadata/components');
  for (const folder of (await readdir(componentsDir)).sort()) {
    let entries: Record<string, { fallbackValue?: string; category?: string; valueType?: string }>;
    try {
      entries = await readJson(join(componentsDir, folder, 'styling-hooks.json'));
    } catch {
      continue;
    }
    for (const [name, entry] of Object.entries(entries)) {
      if (hooks.has(name)) continue;
      const category = normalizeCategory(entry.category ?? inferCategoryFromName(name));
      hooks.set(name, {
        name,
        scope: 'component',
        category,
        subcategory: inferSubcategory(name, category),
        type: entry.valueType
          ? entry.valueType.toLowerCase().split(',')[0]!.trim()
          : inferType(category, name),
        properties: [],
        value: entry.fallbackValue ?? '',
        sldsPlus: plus.has(name),
        deprecated: false,
        component: folder,
      });
    }
  }

  // Hooks only the SLDS / SLDS+ lists name (no values in the metadata).
  for (const source of [slds, sldsPlus]) {
    for (const [section, names] of Object.entries(source)) {
      for (const name of names) {
        if (hooks.has(name)) continue;
        const category = inferCategoryFromName(name);
        hooks.set(name, {
          name,
          scope:
            (['global', 'shared', 'component', 'kinetics'] as const).find((s) => s === section) ?? 'global',
          category,
          subcategory: inferSubcategory(name, category),
          type: inferType(category, name),
          properties: [],
          value: excluded[name] ?? '',
          sldsPlus: plus.has(name),
          deprecated: false,
        });
      }
    }
  }

  const byValue = new Map(Object.entries(valueIndex));
  for (const name of deprecated) {
    let hook = hooks.get(name);
    if (!hook) {
      const category = inferCategoryFromName(name);
      hook = {
        name,
        scope: name.includes('-c-') ? 'component' : name.includes('-s-') ? 'shared' : 'global',
        category,
        subcategory: inferSubcategory(name, category),
        type: inferType(category, name),
        properties: [],
        value: excluded[name] ?? '',
        sldsPlus: false,
        deprecated: true,
      };
      hooks.set(name, hook);
    }
    hook.deprecated = true;
  }
  for (const hook of hooks.values()) {
    if (!hook.deprecated) continue;
    const replacement = replacementFor(hook, hooks, renamed, byValue);
    if (replacement) hook.replacement = replacement;
  }

  const lwcTokens = new Map(
    Object.entries(lwcToSlds).map(([name, entry]) => [
      name,
      { replacement: entry.replacement, deprecated: entry.deprecated },
    ]),
  );
  return { hooks, byValue, lwcTokens, release: release.slds?.name ?? '' };
}

function inferCategoryFromName(name: string): string {
  for (const category of ['color', 'font', 'spacing', 'sizing', 'radius', 'shadow', 'duration']) {
    if (name.includes(`-${category}`)) return category;
  }
  if (/-(gap|padding|margin|inline|block)/.test(name)) return 'spacing';
  if (/-(width|height|size)/.test(name)) return 'sizing';
  return 'other';
}

function replacementFor(
  hook: StylingHook,
  hooks: Map<string, StylingHook>,
  renamed: Record<string, string>,
  byValue: StylingCatalog['byValue'],
): string | undefined {
  const current = (name: string | undefined) =>
    name && hooks.has(name) && !hooks.get(name)!.deprecated ? name : undefined;
  const direct = renamed[hook.name];
  if (direct) return direct;
  // --sds-c-* was the SLDS 1 prefix of --slds-c-*.
  const prefixed = current(hook.name.replace(/^--sds-/, '--slds-'));
  if (prefixed && prefixed !== hook.name) return prefixed;
  if (hook.value) {
    const same = (byValue.get(hook.value) ?? []).find((entry) => current(entry.name));
    if (same) return `${same.name} (same value ${hook.value})`;
  }
  return undefined;
}

/** The styling hook catalogue (loaded once). */
export function stylingCatalog(): Promise<StylingCatalog> {
  stylingCache ??= loadStyling().catch((error: unknown) => {
    stylingCache = undefined;
    throw error;
  });
  return stylingCache;
}

/** A search term with * wildcards as a regular expression over hook names. */
export function wildcard(term: string): RegExp {
  const escaped = term.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** The forms of a CSS value to look up: as given, lower-case, a 3-digit hex widened, px ↔ rem (16px = 1rem). */
export function valueForms(value: string): string[] {
  const trimmed = value.trim();
  const lower = trimmed.toLowerCase().replace(/\s+/g, ' ');
  const forms = new Set([trimmed, lower, lower.replace(/\s*,\s*/g, ', ')]);
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(lower);
  if (short) forms.add(`#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`);
  const long = /^#([0-9a-f])\1([0-9a-f])\2([0-9a-f])\3$/.exec(lower);
  if (long) forms.add(`#${long[1]}${long[2]}${long[3]}`);
  const rgb = /^rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})\s*(?:[,/]\s*(?:1|100%)\s*)?\)$/.exec(lower);
  if (rgb) {
    const hex = `#${rgb
      .slice(1, 4)
      .map((part) => Math.min(255, Number(part)).toString(16).padStart(2, '0'))
      .join('')}`;
    forms.add(hex);
    const short = /^#([0-9a-f])\1([0-9a-f])\2([0-9a-f])\3$/.exec(hex);
    if (short) forms.add(`#${short[1]}${short[2]}${short[3]}`);
  }
  const px = /^(\d+(?:\.\d+)?)px$/.exec(lower);
  if (px) forms.add(`${Number(px[1]) / 16}rem`);
  const rem = /^(\d*(?:\.\d+)?)rem$/.exec(lower);
  if (rem) forms.add(`${Number(rem[1]) * 16}px`);
  return [...forms];
}

/** True when a search term is a CSS value rather than a hook name ("#0176d3", "0.5rem", "rgb(…)", "700"). */
export function looksLikeValue(term: string): boolean {
  return /^(#[0-9a-f]{3,8}|rgba?\(|hsla?\(|-?\d*\.?\d+(px|rem|em|%|s|ms)?$)/i.test(term.trim());
}

// ——— Blueprints ———

export const BLUEPRINT_CATEGORIES = [
  'Actions',
  'Input',
  'Layout',
  'Navigation',
  'Display',
  'Data',
  'Feedback',
  'Overlay',
  'Complex Components',
] as const;
export type BlueprintCategory = (typeof BLUEPRINT_CATEGORIES)[number];

export interface Blueprint {
  /** The design-system id: "data-tables". */
  id: string;
  /** "Data Tables". */
  name: string;
  category: BlueprintCategory;
  summary: string;
  /** SLDS classes of the blueprint (its selectors and the class list entries under them). */
  classes: string[];
  /** Lightning base components (or modules) that implement it. */
  lightning: string[];
  /** Component styling hooks (--slds-c-*). */
  hooks: string[];
  /** Deprecated classes of the blueprint → their replacement ('' when none). */
  deprecatedClasses: { name: string; replacement: string }[];
  /** Dev-ready, prototype, ... as the design system says. */
  support: string;
  docUrl: string;
}

/** Our category for each blueprint (the design system's own "type" is finer and often empty). */
const CATEGORY: Record<string, BlueprintCategory> = {
  buttons: 'Actions',
  'button-icons': 'Actions',
  'button-groups': 'Actions',
  menus: 'Actions',
  'dynamic-menu': 'Actions',
  'visual-picker': 'Input',
  input: 'Input',
  checkbox: 'Input',
  'checkbox-toggle': 'Input',
  'checkbox-button': 'Input',
  'checkbox-button-group': 'Input',
  'radio-group': 'Input',
  'radio-button-group': 'Input',
  combobox: 'Input',
  lookups: 'Input',
  picklist: 'Input',
  select: 'Input',
  textarea: 'Input',
  slider: 'Input',
  counter: 'Input',
  datepickers: 'Input',
  'datetime-picker': 'Input',
  timepicker: 'Input',
  'dueling-picklist': 'Input',
  'file-selector': 'Input',
  'color-picker': 'Input',
  'rich-text-editor': 'Input',
  'form-element': 'Input',
  expression: 'Input',
  cards: 'Layout',
  tiles: 'Layout',
  panels: 'Layout',
  'page-headers': 'Layout',
  'docked-form-footer': 'Layout',
  'drop-zone': 'Layout',
  'brand-band': 'Layout',
  'expandable-section': 'Layout',
  'summary-detail': 'Layout',
  accordion: 'Layout',
  tabs: 'Navigation',
  'scoped-tabs': 'Navigation',
  'vertical-tabs': 'Navigation',
  'vertical-navigation': 'Navigation',
  breadcrumbs: 'Navigation',
  path: 'Navigation',
  'progress-indicator': 'Navigation',
  carousel: 'Navigation',
  'split-view': 'Navigation',
  avatar: 'Display',
  'avatar-group': 'Display',
  badges: 'Display',
  icons: 'Display',
  'dynamic-icons': 'Display',
  illustration: 'Display',
  pills: 'Display',
  files: 'Display',
  markdown: 'Display',
  map: 'Display',
  'data-tables': 'Data',
  'tree-grid': 'Data',
  trees: 'Data',
  'list-builder': 'Data',
  feeds: 'Data',
  'activity-timeline': 'Data',
  alert: 'Feedback',
  toast: 'Feedback',
  notifications: 'Feedback',
  'scoped-notifications': 'Feedback',
  spinners: 'Feedback',
  'progress-bar': 'Feedback',
  'progress-ring': 'Feedback',
  modals: 'Overlay',
  prompt: 'Overlay',
  popovers: 'Overlay',
  tooltips: 'Overlay',
  'global-header': 'Complex Components',
  'global-navigation': 'Complex Components',
  'app-launcher': 'Complex Components',
  'builder-header': 'Complex Components',
  'setup-assistant': 'Complex Components',
  'welcome-mat': 'Complex Components',
  'docked-utility-bar': 'Complex Components',
  'docked-composer': 'Complex Components',
  publishers: 'Complex Components',
  chat: 'Complex Components',
  'trial-bar': 'Complex Components',
};

/** The Lightning base components (or modules) that render each blueprint. */
const LIGHTNING: Record<string, string[]> = {
  accordion: ['lightning-accordion', 'lightning-accordion-section'],
  avatar: ['lightning-avatar'],
  badges: ['lightning-badge'],
  breadcrumbs: ['lightning-breadcrumbs', 'lightning-breadcrumb'],
  buttons: ['lightning-button', 'lightning-button-stateful'],
  'button-icons': ['lightning-button-icon', 'lightning-button-icon-stateful'],
  'button-groups': ['lightning-button-group'],
  cards: ['lightning-card'],
  carousel: ['lightning-carousel'],
  checkbox: ['lightning-input (type="checkbox")', 'lightning-checkbox-group'],
  'checkbox-toggle': ['lightning-input (type="toggle")'],
  'checkbox-button': ['lightning-input (type="checkbox-button")'],
  combobox: ['lightning-combobox'],
  picklist: ['lightning-combobox'],
  lookups: ['lightning-record-picker'],
  'data-tables': ['lightning-datatable'],
  datepickers: ['lightning-input (type="date")'],
  'datetime-picker': ['lightning-input (type="datetime")'],
  timepicker: ['lightning-input (type="time")'],
  'color-picker': ['lightning-input (type="color")'],
  'dueling-picklist': ['lightning-dual-listbox'],
  'dynamic-icons': ['lightning-dynamic-icon'],
  'file-selector': ['lightning-file-upload', 'lightning-input (type="file")'],
  'form-element': ['lightning-input', 'lightning-input-field', 'lightning-record-edit-form'],
  icons: ['lightning-icon'],
  input: ['lightning-input'],
  map: ['lightning-map'],
  menus: ['lightning-button-menu', 'lightning-menu-item'],
  modals: ['LightningModal (lightning/modal)'],
  prompt: ['LightningConfirm (lightning/confirm)', 'LightningAlert (lightning/alert)'],
  path: ['lightning-progress-indicator (type="path")'],
  pills: ['lightning-pill', 'lightning-pill-container'],
  'progress-bar': ['lightning-progress-bar'],
  'progress-indicator': ['lightning-progress-indicator'],
  'progress-ring': ['lightning-progress-ring'],
  'radio-group': ['lightning-radio-group'],
  'radio-button-group': ['lightning-radio-group (type="button")'],
  'rich-text-editor': ['lightning-input-rich-text'],
  slider: ['lightning-slider'],
  spinners: ['lightning-spinner'],
  tabs: ['lightning-tabset', 'lightning-tab'],
  'scoped-tabs': ['lightning-tabset (variant="scoped")'],
  'vertical-tabs': ['lightning-tabset (variant="vertical")'],
  textarea: ['lightning-textarea'],
  tiles: ['lightning-tile'],
  toast: ['ShowToastEvent (lightning/platformShowToastEvent)'],
  tooltips: ['lightning-helptext'],
  trees: ['lightning-tree'],
  'tree-grid': ['lightning-tree-grid'],
  'vertical-navigation': ['lightning-vertical-navigation'],
};

interface UiComponent {
  id: string;
  description?: string;
  annotations: { name?: string; summary?: string; selector?: string; support?: string; type?: string };
  restrictees?: UiRestrictee[];
}
interface UiRestrictee {
  annotations: { selector?: string; restrict?: string };
  restrictees?: UiRestrictee[];
}

let blueprintCache: Promise<Blueprint[]> | undefined;
let classIndex: ClassIndex | undefined;

export interface ClassIndex {
  /** Every SLDS class (sldsClasses.json). */
  all: Set<string>;
  deprecated: Set<string>;
  /** Old BEM spelling → new (bem-naming.json). */
  bem: Record<string, string>;
}

/** The SLDS class lists, for classes no blueprint names. */
export async function sldsClasses(): Promise<ClassIndex> {
  await blueprints();
  return classIndex!;
}

function classesIn(selector: string | undefined): string[] {
  return [...(selector ?? '').matchAll(/\.(slds-[A-Za-z0-9_-]+)/g)].map((match) => match[1]!);
}

function titleCase(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

function firstParagraph(text: string): string {
  const paragraph = text.split(/\n\s*\n|\n#+ /)[0] ?? '';
  return paragraph.replace(/\s+/g, ' ').trim();
}

async function loadBlueprints(): Promise<Blueprint[]> {
  const metadata = join(packageRoot('@salesforce-ux/sds-metadata'), 'current');
  const design = packageRoot('@salesforce-ux/design-system');
  const [ui, allClasses, deprecatedClasses, bem, styling] = await Promise.all([
    readJson<{ components: Record<string, UiComponent> }>(join(design, 'ui.json')),
    readJson<string[]>(join(metadata, 'sldsClasses.json')),
    readJson<string[]>(join(metadata, 'deprecatedClasses.json')),
    readJson<Record<string, string>>(join(metadata, 'bem-naming.json')),
    stylingCatalog(),
  ]);
  const deprecated = new Set(deprecatedClasses);
  const componentHookNames = [...styling.hooks.values()].filter((hook) => hook.scope === 'component');
  const under = (name: string, root: string, loose: boolean) =>
    name === root ||
    name.startsWith(`${root}_`) ||
    ((loose || root.includes('_')) && name.startsWith(`${root}-`));
  const rootsOf = new Map(
    Object.values(ui.components).map((component) => [
      component.id,
      classesIn(component.annotations.selector),
    ]),
  );
  classIndex = { all: new Set(allClasses), deprecated, bem };
  return Object.values(ui.components)
    .map((component): Blueprint => {
      const roots = rootsOf.get(component.id)!;
      const belongs = (name: string) => roots.some((root) => under(name, root, false));
      // Another blueprint's class (a chat inside a combobox example) is that blueprint's, not this one's.
      const others = (name: string) =>
        [...rootsOf].some(
          ([id, otherRoots]) => id !== component.id && otherRoots.some((root) => under(name, root, true)),
        );
      const own = new Set<string>(roots);
      const walk = (entries: UiRestrictee[] | undefined) => {
        for (const entry of entries ?? []) {
          for (const name of classesIn(entry.annotations.selector))
            if (belongs(name) || !others(name)) own.add(name);
          walk(entry.restrictees);
        }
      };
      walk(component.restrictees);
      for (const name of allClasses) if (belongs(name)) own.add(name);
      // Deprecated classes, and the old BEM spellings (slds-card__body--inner) bem-naming renames.
      const deprecatedHere = [
        ...new Set([
          ...deprecatedClasses.filter(belongs),
          ...[...own].filter(
            (name) => deprecated.has(name) || (bem[name] !== undefined && bem[name] !== name),
          ),
        ]),
      ];
      for (const name of deprecatedHere) own.delete(name);
      const hooks = componentHookNames
        .filter((hook) => hook.component === component.id)
        .map((hook) => hook.name);
      if (!hooks.length) {
        for (const base of hookBases(roots)) {
          const found = componentHookNames
            .filter((hook) => hook.name.startsWith(`--slds-c-${base}-`) && !hook.deprecated)
            .map((hook) => hook.name);
          if (found.length) {
            hooks.push(...found);
            break;
          }
        }
      }
      return {
        id: component.id,
        name: titleCase(component.id),
        category: CATEGORY[component.id] ?? 'Complex Components',
        summary: component.annotations.summary?.trim() || firstParagraph(component.description ?? ''),
        classes: [...own].sort(),
        lightning: LIGHTNING[component.id] ?? [],
        hooks: [...new Set(hooks)].sort(),
        deprecatedClasses: deprecatedHere.sort().map((name) => {
          const renamed = bem[name];
          return { name, replacement: renamed && !deprecated.has(renamed) ? renamed : '' };
        }),
        support: component.annotations.support ?? '',
        docUrl: `https://www.lightningdesignsystem.com/components/${component.id}/`,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function hookBases(roots: string[]): string[] {
  const bases: string[] = [];
  for (const root of roots) {
    const name = root.replace(/^slds-/, '');
    bases.push(name.replace(/_/g, '-'), name.split(/_/)[0]!, name.split(/[_-]/)[0]!);
  }
  return [...new Set(bases)];
}

/** Every blueprint of the design system (loaded once). */
export function blueprints(): Promise<Blueprint[]> {
  blueprintCache ??= loadBlueprints().catch((error: unknown) => {
    blueprintCache = undefined;
    throw error;
  });
  return blueprintCache;
}

/** A blueprint name as given ("Data Tables", "data-tables", "data_table", "button") → candidate ids. */
export function blueprintKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^slds-/, '')
    .replace(/[\s_]+/g, '-');
}
