import { ToolError, defineTool, excerpt, formatTable, toolResult, z } from '@sfmcp/plugin-api';
import type { StylingCatalog, StylingHook } from '../lib/slds-catalog.js';

const CATEGORIES = ['color', 'font', 'spacing', 'sizing', 'border', 'shadow', 'timing', 'dimension'] as const;
const TYPES = [
  'color',
  'dimension',
  'font-family',
  'font-size',
  'font-weight',
  'line-height',
  'shadow',
  'timing',
] as const;
type Detail = 'summary' | 'detailed' | 'full';
const ROWS: Record<Detail, number> = { summary: 150, detailed: 60, full: 30 };

function inCategory(hook: StylingHook, category: (typeof CATEGORIES)[number]): boolean {
  switch (category) {
    case 'border':
      return hook.category === 'radius' || hook.name.includes('-border');
    case 'timing':
      return hook.category === 'duration' || hook.type === 'timing';
    case 'dimension':
      return hook.type === 'dimension';
    default:
      return hook.category === category;
  }
}

function note(hook: StylingHook): string {
  if (!hook.deprecated) return '';
  return hook.replacement
    ? `deprecated → ${hook.replacement}`
    : 'deprecated (no replacement in the metadata)';
}

function row(hook: StylingHook, detail: Detail): Record<string, unknown> {
  const base = { hook: hook.name, value: hook.value };
  if (detail === 'summary') return { ...base, note: note(hook) };
  const detailed = {
    ...base,
    category: hook.category,
    subcategory: hook.subcategory,
    type: hook.type,
    properties: hook.properties.join(' '),
    note: note(hook),
  };
  if (detail === 'detailed') return detailed;
  return {
    ...detailed,
    scope: hook.scope,
    slds2: hook.cosmosValue ?? '',
    component: hook.component ?? '',
    sldsPlus: hook.sldsPlus ? 'yes' : '',
  };
}

function fuzzy(term: string, hooks: StylingHook[]): StylingHook[] {
  const needle = term.toLowerCase().replace(/^--/, '');
  const direct = hooks.filter((hook) => hook.name.includes(needle));
  if (direct.length) return direct;
  const words = needle.split(/[\s,_-]+/).filter(Boolean);
  return hooks.filter((hook) => words.every((word) => hook.name.includes(word)));
}

function suggest(name: string, catalog: StylingCatalog): string[] {
  const parts = name
    .replace(/^--(s?lds|lwc)-[a-z]+-/, '')
    .split('-')
    .filter((part) => part.length > 1);
  const scored = [...catalog.hooks.values()]
    .filter((hook) => !hook.deprecated)
    .map((hook) => ({ hook, score: parts.filter((part) => hook.name.includes(part)).length }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.hook.name.length - b.hook.name.length);
  return scored.slice(0, 3).map((entry) => entry.hook.name);
}

export const exploreSldsStyling = defineTool({
  name: 'explore_slds_styling',
  title: 'Explore SLDS styling hooks',
  description:
    'SLDS styling hooks (--slds-g/s/c-*): values, categories, deprecated ones with replacements, the hook for a raw CSS value.',
  input: z.object({
    hooks: z.array(z.string().min(1).max(200)).max(100).optional(),
    prefix: z.string().min(1).max(200).optional().describe('e.g. --slds-g-color-accent-'),
    search: z.string().min(1).max(200).optional().describe('words, * wildcards, or a CSS value ("#0176d3")'),
    category: z.enum(CATEGORIES).optional(),
    subcategory: z.string().min(1).max(60).optional().describe('e.g. palette, system, surface'),
    type: z.enum(TYPES).optional(),
    detail_level: z.enum(['summary', 'detailed', 'full']).optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'preview',
  needsOrg: false,
  async handler(input, ctx) {
    const { stylingCatalog, looksLikeValue, valueForms, wildcard } = await import('../lib/slds-catalog.js');
    const catalog = await stylingCatalog();
    const detail: Detail = input.detail_level ?? 'summary';
    const all = [...catalog.hooks.values()];
    const notes: string[] = [];
    const unknown: string[] = [];
    let selected: StylingHook[] | undefined;
    const add = (hooks: StylingHook[]) => {
      selected ??= [];
      for (const hook of hooks) if (!selected.includes(hook)) selected.push(hook);
    };

    for (const name of input.hooks ?? []) {
      const trimmed = name.trim();
      const key = trimmed.startsWith('--') ? trimmed : `--${trimmed}`;
      const hook = catalog.hooks.get(key) ?? catalog.hooks.get(key.toLowerCase());
      const token = catalog.lwcTokens.get(key);
      if (hook) add([hook]);
      else if (token) {
        add([]);
        notes.push(
          token.replacement
            ? `${key} is an SLDS 1 design token: use ${token.replacement}${token.replacement.startsWith('--') ? ` (var(${token.replacement}))` : ''}.`
            : `${key} is an SLDS 1 design token${token.deprecated ? ', deprecated,' : ''} with no styling hook replacement.`,
        );
      } else {
        add([]);
        unknown.push(excerpt(trimmed, 100));
        const close = suggest(key, catalog);
        notes.push(
          `Unknown hook ${excerpt(trimmed, 100)}${close.length ? `; close: ${close.join(', ')}` : ''}.`,
        );
      }
    }
    if (input.prefix !== undefined) {
      const prefix = input.prefix.trim().toLowerCase();
      add(all.filter((hook) => hook.name.startsWith(prefix) || hook.name.startsWith(`--${prefix}`)));
    }
    if (input.search !== undefined) {
      const term = input.search.trim();
      if (looksLikeValue(term)) {
        const forms = valueForms(term);
        const indexed = forms.flatMap((form) => catalog.byValue.get(form) ?? []);
        const exact = all.filter((hook) => !hook.deprecated && forms.includes(hook.value.toLowerCase()));
        const hooks = [
          ...indexed
            .map((entry) => catalog.hooks.get(entry.name))
            .filter((hook): hook is StylingHook => !!hook),
          ...exact,
        ];
        add(hooks);
        if (indexed.length)
          notes.push(
            `Value ${term}: use ${indexed
              .map(
                (entry) =>
                  `var(${entry.name})${entry.properties.length ? ` for ${entry.properties.join(', ')}` : ''}`,
              )
              .join('; ')}.`,
          );
        else if (!exact.length) notes.push(`No styling hook has the value ${excerpt(term, 60)}.`);
      } else if (term.includes('*')) {
        const pattern = wildcard(term.startsWith('--') || term.startsWith('*') ? term : `*${term}`);
        add(all.filter((hook) => pattern.test(hook.name)));
      } else add(fuzzy(term, all));
    }

    const filtered = (selected ?? all).filter(
      (hook) =>
        (!input.category || inCategory(hook, input.category)) &&
        (!input.type || hook.type === input.type) &&
        (!input.subcategory ||
          hook.subcategory === input.subcategory.toLowerCase() ||
          hook.name.includes(`-${input.subcategory.toLowerCase()}-`)),
    );
    const anyFilter =
      input.hooks || input.prefix || input.search || input.category || input.subcategory || input.type;
    if (!anyFilter) {
      const counts = new Map<string, number>();
      for (const hook of all.filter((entry) => !entry.deprecated))
        counts.set(`${hook.scope}/${hook.category}`, (counts.get(`${hook.scope}/${hook.category}`) ?? 0) + 1);
      const rows = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([key, count]) => ({ 'scope/category': key, hooks: count }));
      return toolResult({
        text: [
          `SLDS styling hooks${catalog.release ? ` (${catalog.release})` : ''}: ${all.filter((hook) => !hook.deprecated).length} current, ${all.filter((hook) => hook.deprecated).length} deprecated.`,
          formatTable(rows),
          'Narrow with hooks, prefix (--slds-g-color-), search (words, * wildcards, or a value like #0176d3), category, subcategory or type.',
          'Use global hooks (--slds-g-*) in your CSS as var(--slds-g-color-accent-1) instead of hard-coded values; set component hooks (--slds-c-*) to theme a base component.',
        ].join('\n'),
        structured: { matched: 0, hooks: [], unknown: [] },
      });
    }
    const ordered = [
      ...filtered.filter((hook) => !hook.deprecated),
      ...filtered.filter((hook) => hook.deprecated),
    ];
    if (!ordered.length && !notes.length) {
      throw new ToolError(
        'No styling hook matches.',
        'Try a shorter search (e.g. "accent"), a prefix like --slds-g-color-, or no category/type filter.',
        { kind: 'not-found' },
      );
    }
    let limit = Math.min(ROWS[detail], ordered.length);
    let text = '';
    for (;;) {
      const shown = ordered.slice(0, limit);
      const lines = [...notes];
      if (shown.length) {
        lines.push(
          `${ordered.length} hook${ordered.length === 1 ? '' : 's'} match${limit < ordered.length ? ` (first ${limit} shown)` : ''}:`,
        );
        lines.push(formatTable(shown.map((hook) => row(hook, detail))));
      }
      text = lines.join('\n');
      if (text.length <= ctx.responseBudget || limit <= 5) break;
      limit = Math.max(5, Math.floor(limit / 2));
    }
    if (limit < ordered.length) text += '\nNarrow the search (prefix, category, type) to see the rest.';
    return toolResult({
      text,
      structured: {
        matched: ordered.length,
        hooks: ordered.slice(0, limit).map((hook) => ({
          name: hook.name,
          value: hook.value,
          ...(hook.deprecated && hook.replacement ? { replacement: hook.replacement } : {}),
        })),
        unknown,
      },
    });
  },
});
