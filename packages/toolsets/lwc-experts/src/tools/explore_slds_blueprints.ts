import { ToolError, defineTool, excerpt, formatTable, toolResult, z } from '@sfmcp/plugin-api';
import { BLUEPRINT_CATEGORIES as CATEGORIES, type Blueprint } from '../lib/slds-catalog.js';
const oneOrMany = z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(50)]);
const MAX_DETAILED = 8;

/** The structured answer: which blueprints matched, and the names asked for that none is. */
function summary(found: readonly Blueprint[], unknown: string[]) {
  return {
    matched: found.length,
    blueprints: found.map(({ id, category, lightning }) => ({ id, category, lightning })),
    unknown,
  };
}
const CLASS_LIMIT = 40;

function list(value: string | string[] | undefined): string[] {
  return value === undefined
    ? []
    : [value]
        .flat()
        .map((entry) => entry.trim())
        .filter(Boolean);
}

function normalizeTag(name: string): string {
  const value = name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[\s_:/]+/g, '-');
  return value.startsWith('lightning-') ? value : `lightning-${value}`;
}

function detail(blueprint: Blueprint, classLimit: number): string {
  const lines = [`## ${blueprint.name} (${blueprint.id}) — ${blueprint.category}`];
  if (blueprint.summary) lines.push(blueprint.summary);
  lines.push(
    `Lightning base component: ${blueprint.lightning.length ? blueprint.lightning.join(', ') : 'none — build it with the SLDS classes below'}`,
  );
  const classes = blueprint.classes.slice(0, classLimit);
  lines.push(
    `SLDS classes (${blueprint.classes.length}): ${classes.join(' ')}${blueprint.classes.length > classes.length ? ' …' : ''}`,
  );
  if (blueprint.hooks.length) {
    const shown = blueprint.hooks.slice(0, classLimit);
    lines.push(
      `Styling hooks (${blueprint.hooks.length}): ${shown.join(' ')}${blueprint.hooks.length > shown.length ? ' …' : ''}`,
    );
  } else lines.push('Styling hooks: none of its own; use the global --slds-g-* hooks.');
  if (blueprint.deprecatedClasses.length)
    lines.push(
      `Deprecated classes: ${blueprint.deprecatedClasses
        .map((entry) => `${entry.name}${entry.replacement ? ` → ${entry.replacement}` : ' (no replacement)'}`)
        .join(', ')}`,
    );
  lines.push(`Status: ${blueprint.support || 'unknown'}. Docs: ${blueprint.docUrl}`);
  return lines.join('\n');
}

export const exploreSldsBlueprints = defineTool({
  name: 'explore_slds_blueprints',
  title: 'Explore SLDS blueprints',
  description:
    'SLDS blueprints: classes, the base component implementing each, styling hooks, deprecated classes.',
  input: z.object({
    name: oneOrMany.optional().describe('e.g. "Cards"'),
    category: oneOrMany.optional().describe(CATEGORIES.join(', ')),
    search: z.string().min(1).max(200).optional(),
    lightning_component: oneOrMany.optional().describe('e.g. lightning-datatable'),
    slds_class: oneOrMany.optional().describe('e.g. slds-card'),
    styling_hook: oneOrMany.optional().describe('e.g. --slds-c-card-shadow'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'preview',
  needsOrg: false,
  async handler(input, ctx) {
    const { blueprints, blueprintKey, sldsClasses } = await import('../lib/slds-catalog.js');
    const all = await blueprints();
    const notes: string[] = [];
    const unknown: string[] = [];
    let selected: Blueprint[] | undefined;
    const narrow = (matches: Blueprint[]) => {
      selected = (selected ?? all).filter((blueprint) => matches.includes(blueprint));
    };

    const names = list(input.name);
    if (names.length) {
      const matches: Blueprint[] = [];
      for (const name of names) {
        const key = blueprintKey(name);
        const found =
          all.find((blueprint) => blueprint.id === key) ??
          all.find((blueprint) => blueprint.id === `${key}s` || blueprint.id === key.replace(/s$/, '')) ??
          all.find((blueprint) => blueprint.id.startsWith(key));
        if (found) matches.push(found);
        else {
          unknown.push(excerpt(name, 80));
          const close = all.filter((blueprint) =>
            key.split('-').some((word) => word.length > 2 && blueprint.id.includes(word)),
          );
          notes.push(
            `Unknown blueprint ${JSON.stringify(excerpt(name, 80))}${
              close.length
                ? `; close: ${close
                    .slice(0, 4)
                    .map((blueprint) => blueprint.name)
                    .join(', ')}`
                : ''
            }.`,
          );
        }
      }
      narrow(matches);
    }
    const categories = list(input.category).map((asked) => {
      const category = CATEGORIES.find((known) => known.toLowerCase() === asked.toLowerCase());
      if (!category)
        throw new ToolError(
          `No blueprint category ${JSON.stringify(excerpt(asked, 60))}.`,
          `Categories: ${CATEGORIES.join(', ')}.`,
          {
            kind: 'invalid',
          },
        );
      return category;
    });
    if (categories.length)
      narrow(all.filter((blueprint) => (categories as string[]).includes(blueprint.category)));
    if (input.search !== undefined) {
      const words = input.search
        .toLowerCase()
        .split(/[\s,]+/)
        .filter(Boolean);
      narrow(
        all.filter((blueprint) => {
          const text =
            `${blueprint.id} ${blueprint.name} ${blueprint.summary} ${blueprint.lightning.join(' ')}`.toLowerCase();
          return words.every((word) => text.includes(word));
        }),
      );
    }
    const tags = list(input.lightning_component).map(normalizeTag);
    if (tags.length) {
      const matches = all.filter((blueprint) =>
        blueprint.lightning.some((entry) => tags.includes(entry.split(' ')[0]!)),
      );
      for (const tag of tags)
        if (!matches.some((blueprint) => blueprint.lightning.some((entry) => entry.split(' ')[0] === tag)))
          notes.push(`No blueprint lists ${tag}.`);
      narrow(matches);
    }
    const classes = list(input.slds_class).map((name) => name.replace(/^\./, ''));
    if (classes.length) {
      const matches = all.filter((blueprint) =>
        classes.some(
          (name) =>
            blueprint.classes.includes(name) ||
            blueprint.deprecatedClasses.some((entry) => entry.name === name),
        ),
      );
      const index = await sldsClasses();
      for (const name of classes) {
        const renamed = index.bem[name];
        if (index.deprecated.has(name) || (renamed && renamed !== name)) {
          const next = renamed && renamed !== name ? renamed : undefined;
          notes.push(
            `${name} is ${index.deprecated.has(name) ? 'deprecated' : 'an old BEM spelling'}${
              next
                ? `: use ${next}${index.deprecated.has(next) ? ' (itself deprecated: drop the pattern)' : ''}`
                : ' (no replacement)'
            }.`,
          );
        } else if (!matches.some((blueprint) => blueprint.classes.includes(name)))
          notes.push(
            index.all.has(name)
              ? `${name} is an SLDS class of no single blueprint (a utility or shared class).`
              : `${excerpt(name, 80)} is not an SLDS class.`,
          );
      }
      narrow(matches);
    }
    const hooks = list(input.styling_hook);
    if (hooks.length) {
      const matches = all.filter((blueprint) =>
        hooks.some((hook) => blueprint.hooks.some((name) => name === hook || name.startsWith(hook))),
      );
      if (!matches.length)
        notes.push(`No blueprint has the styling hook ${hooks.map((hook) => excerpt(hook, 80)).join(', ')}.`);
      narrow(matches);
    }

    const any =
      names.length || categories.length || input.search || tags.length || classes.length || hooks.length;
    const found = selected ?? all;
    if (!any || found.length > MAX_DETAILED) {
      if (!found.length) throw new ToolError('No blueprint matches.', undefined, { kind: 'not-found' });
      const rows = found.map((blueprint) => ({
        blueprint: blueprint.name,
        category: blueprint.category,
        lightning: blueprint.lightning.join(', '),
        summary: blueprint.summary.length > 90 ? `${blueprint.summary.slice(0, 89)}…` : blueprint.summary,
      }));
      return toolResult({
        text: [
          ...notes,
          `${found.length} SLDS blueprints${any ? ' match' : ''}:`,
          formatTable(rows),
          'Ask for one or a few by name for their classes, styling hooks and deprecated classes.',
        ].join('\n'),
        structured: summary(found, unknown),
      });
    }
    if (!found.length && classes.length && notes.length && !unknown.length) {
      // A question about classes answered from the class lists (deprecated, utility): not an error.
      return toolResult({ text: notes.join('\n'), structured: { matched: 0, blueprints: [], unknown } });
    }
    if (!found.length) {
      throw new ToolError(
        notes.join(' ') || 'No blueprint matches.',
        'List them all with no arguments, or search by a word.',
        {
          kind: 'not-found',
        },
      );
    }
    let limit = CLASS_LIMIT;
    let text = '';
    for (;;) {
      text = [...notes, ...found.map((blueprint) => detail(blueprint, limit))].join('\n\n');
      if (text.length <= ctx.responseBudget || limit <= 5) break;
      limit = Math.floor(limit / 2);
    }
    return toolResult({ text, structured: summary(found, unknown) });
  },
});
