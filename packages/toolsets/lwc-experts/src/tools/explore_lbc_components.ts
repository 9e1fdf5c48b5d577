import { ToolError, defineTool, excerpt, formatTable, toolResult, z } from '@sfmcp/plugin-api';
import type { LbcComponent } from '../lib/lbc-catalog.js';

const MAX_NAMES = 30;
const DESCRIPTION_CUT = 110;

function cut(text: string, max = DESCRIPTION_CUT): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function describe(component: LbcComponent, full: boolean, room: number, example: string): string {
  const lines = [`## ${component.tag}`];
  if (component.module) lines.push(`Module: import { … } from '${component.module.specifier}'`);
  if (component.description) lines.push(component.description);
  if (component.module) lines.push(`Exports: ${component.module.exports.join(', ')}`);
  if (component.attributes.length) {
    const attributes = full
      ? component.attributes
      : component.attributes.filter((a) => !a.name.startsWith('aria-') && a.name !== 'class');
    const hidden = component.attributes.length - attributes.length;
    lines.push(
      formatTable(
        attributes.map((attribute) => ({
          attribute: attribute.name + (attribute.required ? ' *' : ''),
          type: attribute.type.toLowerCase(),
          description: cut(attribute.description, room),
        })),
        ['attribute', 'type', 'description'],
      ),
    );
    if (hidden) lines.push(`(+${hidden} more: class, aria-*)`);
  }
  if (component.events.length) lines.push(`Events: ${component.events.join(', ')}`);
  if (component.methods.length) lines.push(`Methods: ${component.methods.join(', ')}`);
  if (component.slots.length) lines.push(`Slots: ${component.slots.join(', ')}`);
  lines.push(`Example:\n${component.module ? '```js' : '```html'}\n${example}\n\`\`\``);
  lines.push(`Docs: ${component.docUrl}`);
  return lines.join('\n');
}

export const exploreLbcComponents = defineTool({
  name: 'explore_lbc_components',
  title: 'Explore Lightning base components',
  description:
    'Lightning base components: attributes with types, events, an example; by name, or ranked for a free-text need.',
  input: z.object({
    names: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(MAX_NAMES)
      .optional()
      .describe('e.g. ["button", "lightning:combobox"]'),
    need: z.string().min(1).max(500).optional().describe('what the UI must do: best matches'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  async handler(input, ctx) {
    if (input.names === undefined && input.need === undefined)
      throw new ToolError(
        'Give names (component names) or need (what the UI must do).',
        'e.g. { "names": ["button", "datatable"] } or { "need": "sortable table with inline edit" }',
        { kind: 'invalid' },
      );
    const { MODULE_HINTS, lbcCatalog, normalizeComponentName, rankByNeed, suggestComponents, usageExample } =
      await import('../lib/lbc-catalog.js');
    const catalog = await lbcCatalog();
    const byTag = new Map(catalog.map((component) => [component.tag, component]));
    const found: LbcComponent[] = [];
    const unknown: { name: string; suggestions: string[] }[] = [];
    const notes: string[] = [];
    const hints: string[] = [];
    for (const name of input.names ?? []) {
      const tag = normalizeComponentName(name);
      const component = byTag.get(tag);
      if (component) {
        if (!found.includes(component)) found.push(component);
      } else unknown.push({ name: excerpt(name), suggestions: suggestComponents(tag, catalog) });
    }
    if (input.need !== undefined) {
      const need = input.need;
      for (const [pattern, hint] of MODULE_HINTS) if (pattern.test(need)) hints.push(hint);
      const ranked = rankByNeed(need, catalog);
      if (ranked.length)
        notes.push(
          `Best matches for ${JSON.stringify(excerpt(input.need, 120))}: ${ranked.map((entry) => entry.component.tag).join(', ')}`,
        );
      else notes.push(`No component matches ${JSON.stringify(excerpt(input.need, 120))}.`);
      for (const { component } of ranked) if (!found.includes(component)) found.push(component);
    }
    notes.unshift(...hints);
    if (!found.length && hints.length && !unknown.length)
      return toolResult({ text: notes.join('\n'), structured: { components: [], unknown } });
    if (!found.length) {
      const hints = unknown
        .map(
          (entry) =>
            `${entry.name}${entry.suggestions.length ? ` (did you mean ${entry.suggestions.join(', ')}?)` : ''}`,
        )
        .join('; ');
      throw new ToolError(
        unknown.length ? `No such Lightning base component: ${hints}.` : notes.join(' '),
        `The catalogue has ${catalog.length} components, e.g. ${catalog
          .filter((component) => !component.module)
          .slice(0, 8)
          .map((component) => component.tag)
          .join(', ')}. Names may be written button, lightning-button or lightning:button.`,
        { kind: 'not-found' },
      );
    }
    for (const entry of unknown)
      notes.push(
        `Unknown: ${entry.name}${entry.suggestions.length ? ` — close names: ${entry.suggestions.join(', ')}` : ''}`,
      );

    // Fit the budget: every attribute for one or two components, else without class and aria-*, then cut.
    const budget = ctx.responseBudget;
    let sections: string[] = [];
    const attempts: (readonly [boolean, number])[] = [
      ...(found.length <= 2 ? [[true, 400] as const] : []),
      [false, DESCRIPTION_CUT],
      [false, 60],
    ];
    for (const [full, room] of attempts) {
      sections = found.map((component) => describe(component, full, room, usageExample(component)));
      if ([...notes, ...sections].join('\n\n').length <= budget) break;
    }
    let text = [...notes, ...sections].join('\n\n');
    if (text.length > budget) {
      const kept: string[] = [...notes];
      for (const section of sections) {
        if ([...kept, section].join('\n\n').length > budget - 200) break;
        kept.push(section);
      }
      const left = found.length - (kept.length - notes.length);
      text = `${kept.join('\n\n')}\n\n(${left} more components left out to fit the response; ask for them by name.)`;
    }
    text += '\n\n* = required. Attribute names are written in kebab-case in templates, camelCase in JS.';
    return toolResult({
      text,
      structured: {
        components: found.map((component) => ({
          tag: component.tag,
          attributes: component.attributes.length,
          ...(component.module ? { module: component.module.specifier } : {}),
        })),
        unknown,
      },
    });
  },
});
