import { ToolError, defineTool, excerpt, toolResult, z } from '@sfmcp/plugin-api';
import {
  GUIDES,
  GUIDE_TOPICS,
  type GuideSection,
  type GuideTopic,
  OFFICIAL_GUIDE_SECTIONS,
  OFFICIAL_GUIDE_TOOLS,
  guideSections,
  guideUri,
  isGuideTopic,
  readGuide,
} from '../guides/index.js';

/** The arguments of the @salesforce/mcp tools answered by a guide, accepted when called by their names. */
const OFFICIAL_ARGUMENTS = z.object({
  mode: z.enum(['fix', 'analysis']).optional(),
  hasImages: z.boolean().optional(),
  prd: z.string().max(200_000).optional(),
  draftPrd: z.string().max(200_000).optional(),
  type: z.enum(['adapter-api', 'uiapi-type']).optional(),
  names: z.array(z.string().min(1).max(100)).max(50).optional(),
  subtype: z.enum(['records', 'lists', 'metadata']).optional(),
  /**
   * Set by a server alias instead of `topic`, so that the caller's own `topic` (guide_slds_styling's
   * overview | colors | spacing | ...) survives: it then picks the section.
   */
  officialTool: z.string().max(100).optional(),
});

function adapterFacts(section: GuideSection): { kind: string; group: string } {
  const facts = /^Kind: (\w+)\. Group: (\w+)\./m.exec(section.text);
  return { kind: facts?.[1] ?? '', group: facts?.[2] ?? '' };
}

export const getLwcGuide = defineTool({
  name: 'get_lwc_guide',
  title: 'Get an LWC guide',
  description:
    'One of the LWC guides (also served as sfmcp://lwc/<topic> resources), for clients that cannot read resources.',
  // Loose: @salesforce/mcp's guide tools' own arguments (OFFICIAL_ARGUMENTS) reach the handler unpublished.
  input: z.looseObject({
    topic: z
      .union([
        z.enum(GUIDE_TOPICS),
        z.string().min(1).max(100).describe('or an @salesforce/mcp guide tool name'),
      ])
      // Optional only for server aliases that name the guide with officialTool; a call without it fails clearly.
      .optional(),
    section: z.string().min(1).max(100).optional().describe('only sections whose heading contains this'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  async handler(given, ctx) {
    const parsed = OFFICIAL_ARGUMENTS.safeParse(given);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ToolError(
        `Invalid argument ${issue.path.join('.') || 'input'}: ${excerpt(issue.message, 200)}`,
        undefined,
        { kind: 'invalid' },
      );
    }
    const { officialTool, ...officialArguments } = parsed.data;
    let section = given.section;
    if (officialTool !== undefined) {
      if (!OFFICIAL_GUIDE_TOOLS[officialTool])
        throw new ToolError(
          `${JSON.stringify(excerpt(officialTool))} is not a guide tool this server answers.`,
          undefined,
          {
            kind: 'invalid',
          },
        );
      const callerTopic = given.topic?.trim();
      if (
        callerTopic &&
        callerTopic !== 'overview' &&
        !isGuideTopic(callerTopic) &&
        !OFFICIAL_GUIDE_TOOLS[callerTopic]
      )
        section ??= callerTopic;
    }
    const input = { ...officialArguments, section };
    const asked = (officialTool ?? given.topic ?? '').trim();
    if (!asked)
      throw new ToolError('topic is required.', `Topics: ${GUIDE_TOPICS.join(', ')}.`, { kind: 'invalid' });
    const official = OFFICIAL_GUIDE_TOOLS[asked];
    const topic: GuideTopic | undefined = isGuideTopic(asked) ? asked : official;
    if (!topic) {
      throw new ToolError(
        `No LWC guide ${JSON.stringify(excerpt(asked))}.`,
        `Topics: ${GUIDE_TOPICS.join(', ')}. @salesforce/mcp guide tool names are accepted too (e.g. guide_lds_development).`,
        { kind: 'invalid' },
      );
    }
    const markdown = await readGuide(topic);
    const all = guideSections(markdown);
    const notes: string[] = [];
    let chosen = all;

    const wanted = input.section ?? (official ? OFFICIAL_GUIDE_SECTIONS[asked] : undefined);
    if (wanted) {
      const needle = wanted.toLowerCase();
      const matching = all.filter(
        (section) => section.heading && section.heading.toLowerCase().includes(needle),
      );
      if (matching.length)
        chosen = [all[0]!, ...matching].filter((section, index, list) => list.indexOf(section) === index);
      else if (input.section)
        throw new ToolError(
          `The ${topic} guide has no section ${JSON.stringify(excerpt(input.section))}.`,
          `Its sections: ${all
            .filter((section) => section.heading)
            .map((section) => section.heading)
            .join('; ')}.`,
          { kind: 'not-found' },
        );
    }

    if (topic === 'lds-adapters' && (input.names?.length || input.type || input.subtype)) {
      const names = (input.names ?? []).map((name) => name.trim().toLowerCase());
      const picked = all.filter((section) => {
        if (!section.heading) return false;
        const { kind, group } = adapterFacts(section);
        if (names.length && !names.includes(section.heading.toLowerCase())) return false;
        if (input.type === 'adapter-api' && kind === 'type') return false;
        if (input.type === 'uiapi-type' && kind !== 'type') return false;
        if (input.subtype && group !== input.subtype) return false;
        return true;
      });
      const known = new Set(all.map((section) => section.heading.toLowerCase()));
      const missing = (input.names ?? []).filter((name) => !known.has(name.trim().toLowerCase()));
      if (missing.length)
        notes.push(
          `Not in the reference: ${missing.map((name) => excerpt(name)).join(', ')}. Available: ${all
            .filter((section) => section.heading)
            .map((section) => section.heading)
            .join(', ')}.`,
        );
      if (!picked.length && !missing.length)
        notes.push('No section matches these filters; the whole reference follows.');
      chosen = picked.length ? [all[0]!, ...picked] : missing.length ? [all[0]!] : all;
    }

    if (input.mode === 'analysis')
      notes.push(
        'Mode analysis: review the code against this guide and report each finding (file, line, the rule, the fix) without changing files.',
      );
    else if (input.mode === 'fix')
      notes.push(
        'Mode fix: apply this guide to the code, then run validate_lwc_component to check the result.',
      );
    if (input.hasImages && topic === 'accessibility')
      notes.push('Images are present: apply the "Images and media" section to each of them.');
    const prd = input.prd ?? input.draftPrd;
    if (prd !== undefined)
      notes.push(
        `A ${input.prd !== undefined ? 'PRD' : 'draft PRD'} was given (${prd.length} characters): apply this guide to it${
          topic === 'aura-migration' ? ' — check it against the mapping and the completeness check' : ''
        }.`,
      );
    if (official && official !== asked) notes.unshift(`${asked} is answered by the ${topic} guide.`);

    let body = chosen.map((section) => section.text.trimEnd()).join('\n\n');
    if (chosen.length < all.length)
      body += `\n\n(Other sections of this guide: ${all
        .filter((section) => section.heading && !chosen.includes(section))
        .map((section) => section.heading)
        .join('; ')}. Ask with \`section\`, or read ${guideUri(topic)}.)`;
    let text = [...notes, body].join('\n\n');
    if (text.length > ctx.responseBudget) {
      text = `${text.slice(0, ctx.responseBudget - 200)}\n\n(Cut to fit the response: read ${guideUri(topic)} or ask for one section.)`;
    }
    return toolResult({
      text,
      structured: {
        topic,
        resource: guideUri(topic),
        sections: chosen.map(
          (section) => section.heading || (/^# (.+)$/m.exec(markdown)?.[1] ?? GUIDES[topic].title),
        ),
      },
    });
  },
});
