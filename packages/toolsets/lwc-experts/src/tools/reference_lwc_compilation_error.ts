import { LIMITS, ToolError, defineTool, excerpt, isToolError, toolResult, z } from '@sfmcp/plugin-api';
import { type Bundle, filesArgument, loadBundle } from '../lib/bundle.js';
import type { CatalogEntry, MessageMatch } from '../lib/error-catalog.js';
import type { Finding } from '../lib/validate.js';

const MAX_SHOWN = 10;
const CONTEXT = 2;

/** The finding's line with a few lines around it, numbered, the line itself marked. */
function context(source: string, finding: Finding): string {
  const lines = source.split(/\r?\n/);
  const from = Math.max(1, finding.line - CONTEXT);
  const to = Math.min(lines.length, finding.line + CONTEXT);
  const width = String(to).length;
  const out: string[] = [];
  for (let number = from; number <= to; number++) {
    const text = excerpt(lines[number - 1] ?? '', 200);
    out.push(`${number === finding.line ? '>' : ' '} ${String(number).padStart(width)} | ${text}`);
    if (number === finding.line)
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, finding.column - 1))}^`);
  }
  return out.join('\n');
}

function filledTemplate(entry: CatalogEntry, values: readonly string[]): string {
  return entry.message.replace(/\{(\d+)\}/g, (whole, index: string) => values[Number(index)] ?? whole);
}

export const referenceLwcCompilationError = defineTool({
  name: 'reference_lwc_compilation_error',
  title: 'Explain an LWC compilation error',
  description:
    'An LWC compiler error by code (LWC1034) or message, from @lwc/errors: cause and fix; given the component, the lines raising it.',
  input: z.object({
    errorCode: z.string().min(1).max(LIMITS.text).describe('e.g. "LWC1034", "lwc1034" or "1034"'),
    errorMessage: z.string().max(LIMITS.text).optional().describe("the compiler's message"),
    componentName: z.string().min(1).max(100).optional(),
    files: filesArgument.optional(),
  }),
  output: z.object({
    code: z.string(),
    name: z.string(),
    group: z.string(),
    matchedBy: z.enum(['code', 'message']),
    occurrences: z.number().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const catalog = await import('../lib/error-catalog.js');
    const entries = await catalog.loadCatalog();
    const range = `LWC${entries[0]!.code}–LWC${entries.at(-1)!.code}`;
    let code =
      catalog.parseCode(input.errorCode) ??
      (input.errorMessage ? catalog.parseCode(input.errorMessage) : undefined);
    const messageText = input.errorMessage ?? (code === undefined ? input.errorCode : undefined);
    const matches: MessageMatch[] = messageText ? await catalog.matchMessage(messageText) : [];
    let matchedBy: 'code' | 'message' = 'code';
    if (code === undefined && matches[0]) {
      code = matches[0].entry.code;
      matchedBy = 'message';
    }
    if (code === undefined)
      throw new ToolError(
        `${JSON.stringify(excerpt(input.errorCode))} is not an LWC error code, and no message in @lwc/errors ${catalog.catalogVersion()}'s catalogue matches it.`,
        `Codes look like LWC1034 (or 1034; the catalogue has ${entries.length}, ${range}). Find them at the start of the compiler's message ("LWC1034: Ambiguous attribute value…"), in the IDE's problems, or run validate_lwc_component, whose findings carry the code as their rule. Or pass the exact message as errorMessage.`,
        { kind: 'invalid' },
      );
    const entry = await catalog.findByCode(code);
    if (!entry) {
      const near = entries
        .filter((item) => Math.abs(item.code - code) <= 3)
        .map((item) => `${item.id} ${item.name}`);
      throw new ToolError(
        `LWC${code} is not in @lwc/errors ${catalog.catalogVersion()}'s catalogue (${entries.length} codes, ${range}).`,
        `${near.length ? `Nearby codes: ${near.join(', ')}. ` : ''}Check the code in the compiler output, or pass the message as errorMessage to look it up by its text.`,
        { kind: 'not-found' },
      );
    }

    const advice = catalog.ADVICE[entry.code];
    const part = catalog.GROUP_PARTS[entry.group] ?? `the compiler (${entry.group})`;
    const lines = [
      `${entry.id} ${entry.name} — ${entry.level}, raised by ${part} (${entry.group}, @lwc/errors ${catalog.catalogVersion()}).`,
      `Message: ${entry.message}`,
      ...(entry.url ? [`Docs: ${entry.url}`] : []),
    ];
    if (advice) lines.push(`Cause: ${advice.cause}`, `Fix: ${advice.fix}`);
    else
      lines.push(
        `Cause and fix: no written advice for ${entry.id}; the message template above is the catalogue's own text, and says what the compiler objects to. ` +
          (entry.group === 'CompilerValidationErrors' || entry.group === 'TemplateErrors'
            ? 'Codes of this group concern how the compiler was called (its options), so the component is rarely at fault: check the build tool or the compiler version.'
            : `It comes from ${part}: change what the message names until it no longer applies, then compile again.`),
      );

    if (messageText) {
      const own = matches.find((match) => match.entry.code === entry.code);
      if (own)
        lines.push(
          `Your message matches this template${own.values.length ? `; the compiler filled in: ${own.values.map((value, index) => `{${index}} = ${excerpt(value.trim(), 120)}`).join(', ')}` : ''}.`,
        );
      else if (matches[0])
        lines.push(
          `Note: your message matches ${matches[0].entry.id} (${matches[0].entry.name}: "${excerpt(filledTemplate(matches[0].entry, matches[0].values), 160)}"), not ${entry.id}. Check which code the compiler reported.`,
        );
      else if (input.errorMessage)
        lines.push(
          `Your message matches no template in the catalogue exactly; the code is what was looked up.`,
        );
    }
    if (matchedBy === 'message' && matches.length > 1)
      lines.push(
        `Other templates the message also fits: ${matches
          .slice(1, 4)
          .map((match) => `${match.entry.id} ${match.entry.name}`)
          .join(', ')}.`,
      );

    let occurrences: number | undefined;
    if (input.files !== undefined || input.componentName !== undefined) {
      let bundle: Bundle | undefined;
      try {
        bundle = await loadBundle(ctx, 'lwc', {
          ...(input.files !== undefined ? { files: input.files } : {}),
          ...(input.componentName !== undefined ? { componentName: input.componentName } : {}),
        });
      } catch (error) {
        if (!isToolError(error) || input.files !== undefined) throw error;
        lines.push(`\nThe component was not compiled: ${error.message}`);
      }
      if (bundle) {
        const { compileBundle } = await import('../lib/compile.js');
        const { withoutDeepTemplates } = await import('../lib/validate.js');
        const checkable = withoutDeepTemplates(bundle);
        const findings = [
          ...checkable.findings,
          ...(await compileBundle(checkable.bundle, { signal: ctx.signal })),
        ];
        const hits = findings.filter((finding) => finding.rule === entry.id);
        occurrences = hits.length;
        const where = `c/${bundle.name}${bundle.relativeDir ? ` (${bundle.relativeDir})` : ''}`;
        if (hits.length) {
          lines.push(`\n${where} raises ${entry.id} ${hits.length === 1 ? 'once' : `${hits.length} times`}:`);
          for (const hit of hits.slice(0, MAX_SHOWN))
            lines.push(
              `${hit.file}:${hit.line}:${hit.column} — ${hit.message}`,
              context(bundle.files.get(hit.file) ?? '', hit),
            );
          if (hits.length > MAX_SHOWN) lines.push(`… and ${hits.length - MAX_SHOWN} more.`);
        } else {
          const others = findings.filter(
            (finding) => finding.rule.startsWith('LWC') || finding.rule === 'bundle/too-deep',
          );
          lines.push(
            `\nCompiling ${where} does not raise ${entry.id} now.` +
              (others.length
                ? ` It raises: ${others
                    .slice(0, MAX_SHOWN)
                    .map((finding) => `${finding.rule} at ${finding.file}:${finding.line}:${finding.column}`)
                    .join(', ')}${others.length > MAX_SHOWN ? ', …' : ''}.`
                : ' It compiles without compiler errors or warnings.'),
          );
        }
      }
    }

    return toolResult({
      text: lines.join('\n'),
      structured: {
        code: entry.id,
        name: entry.name,
        group: entry.group,
        matchedBy,
        ...(occurrences !== undefined ? { occurrences } : {}),
      },
    });
  },
});
