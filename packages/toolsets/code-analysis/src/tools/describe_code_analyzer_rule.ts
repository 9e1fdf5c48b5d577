import { ToolError, defineTool, excerpt, projectIfAny, toolResult, z } from '@sfmcp/plugin-api';
import { severityName } from '../lib/results.js';
import { ruleCatalog, skippedNotes } from '../lib/rules.js';

export const describeCodeAnalyzerRule = defineTool({
  name: 'describe_code_analyzer_rule',
  title: 'Describe a Code Analyzer rule',
  description:
    "Describes a Code Analyzer rule (the project's custom ones too): severity, tags, what it checks, links.",
  input: z.object({
    ruleName: z.string().min(1).max(255).describe('e.g. ApexCRUDViolation'),
    engineName: z.string().min(1).max(64).describe('pmd, cpd, eslint, regex, retire-js, sfge, flow'),
  }),
  output: z.object({
    name: z.string(),
    engine: z.string(),
    severity: z.number(),
    tags: z.array(z.string()),
    description: z.string(),
    resources: z.array(z.string()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const catalog = await ruleCatalog(await projectIfAny(ctx), process.cwd(), ctx.signal);
    const engine = input.engineName.trim().toLowerCase();
    const name = input.ruleName.trim();
    const rule =
      catalog.rules.find((candidate) => candidate.engine === engine && candidate.name === name) ??
      catalog.rules.find(
        (candidate) => candidate.engine === engine && candidate.name.toLowerCase() === name.toLowerCase(),
      );
    if (!rule) {
      const engines = [...new Set(catalog.rules.map((candidate) => candidate.engine))];
      const elsewhere = catalog.rules.filter(
        (candidate) => candidate.name.toLowerCase() === name.toLowerCase(),
      );
      const skipped = catalog.skipped.find((entry) => entry.engine === engine);
      throw new ToolError(
        skipped
          ? `The ${engine} engine is not available here, so its rule ${JSON.stringify(excerpt(name))} cannot be described. ${skippedNotes([skipped]).join(' ')}`
          : `No rule ${JSON.stringify(excerpt(name))} in engine ${JSON.stringify(excerpt(engine))}.`,
        elsewhere.length
          ? `It exists in: ${elsewhere.map((candidate) => candidate.engine).join(', ')}.`
          : `Engines: ${engines.join(', ')}. Find names with list_code_analyzer_rules.`,
        { kind: 'not-found' },
      );
    }
    const text = [
      `${rule.engine}:${rule.name} — severity ${rule.severity} (${severityName(rule.severity)}); tags: ${rule.tags.join(', ') || 'none'}`,
      rule.description,
      ...(rule.resources.length ? [`More: ${rule.resources.join(' ')}`] : []),
    ].join('\n');
    return toolResult({
      text,
      structured: rule,
    });
  },
});
