import {
  ToolError,
  budgetAfter,
  defineTool,
  excerpt,
  takeWithinBudget,
  toolResult,
  z,
} from '@sfmcp/plugin-api';

const MAX_SAMPLE = 100_000;

/** Attribute values in the tree are cut here; the structured content has them whole. */
const VALUE_MAX = 80;

export const getAstNodesToGenerateXpath = defineTool({
  name: 'get_ast_nodes_to_generate_xpath',
  title: 'Show the PMD AST of a code sample',
  description:
    "The PMD AST of a code sample (Java 11+): nodes with key attributes and lines, and each node type's attributes, for writing a create_custom_rule XPath. Apex by default; also visualforce, javascript, html, xml.",
  input: z.object({
    sampleCode: z
      .string()
      .min(1)
      .max(MAX_SAMPLE)
      .describe('A short sample that shows the pattern the rule should catch.'),
    language: z.string().max(20).optional().describe('apex (default), visualforce, javascript, html, xml.'),
    engine: z.string().max(20).optional().describe('pmd (the only engine with XPath rules).'),
  }),
  output: z.object({
    language: z.string(),
    lineNumbers: z.boolean(),
    nodes: z.array(
      z.object({
        depth: z.number(),
        name: z.string(),
        line: z.number().optional(),
        endLine: z.number().optional(),
        attributes: z.record(z.string(), z.string()),
      }),
    ),
    attributeNames: z.record(z.string(), z.array(z.string())),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'preview',
  needsOrg: false,
  async handler(input, ctx) {
    const engine = input.engine?.trim().toLowerCase() || 'pmd';
    if (engine !== 'pmd') {
      throw new ToolError(
        `XPath rules are PMD rules: engine must be pmd, not ${excerpt(engine, 20)}.`,
        undefined,
        {
          kind: 'invalid',
        },
      );
    }
    const language = (input.language?.trim() || 'apex').toLowerCase();
    const { dumpAst, pmdLanguage } = await import('../lib/pmd-ast.js');
    pmdLanguage(language);
    const ast = await dumpAst(input.sampleCode, language, { signal: ctx.signal });

    const rows = ast.nodes.map((node) => {
      const where =
        node.line === undefined
          ? ''
          : node.endLine && node.endLine !== node.line
            ? ` [${node.line}-${node.endLine}]`
            : ` [${node.line}]`;
      const attributes = Object.entries(node.attributes)
        .map(
          ([key, value]) =>
            `${key}=${JSON.stringify(value.length > VALUE_MAX ? `${value.slice(0, VALUE_MAX)}…` : value)}`,
        )
        .join(' ');
      return `${'  '.repeat(node.depth)}${node.name}${where}${attributes ? ` ${attributes}` : ''}`;
    });
    const attributeLines = Object.entries(ast.attributeNames).map(
      ([node, names]) => `${node}: ${names.map((name) => `@${name}`).join(' ')}`,
    );
    const head = `PMD AST (${language}, ${ast.nodes.length} nodes${ast.lineNumbers ? ', [lines]' : ''}); attributes that are false or empty are left out:`;
    const notes = ast.lineNumbers
      ? []
      : ['Line numbers need a JDK (java with its compiler); this tree comes from the PMD engine’s ast-dump.'];
    const attributesText = [
      'Attributes by node type (for XPath, e.g. //Method[@Image="run"]):',
      ...attributeLines,
    ].join('\n');
    const page = takeWithinBudget(
      rows,
      (row) => Buffer.byteLength(row),
      budgetAfter(ctx, head, attributesText, ...notes),
    );
    const cut =
      page.nextOffset === undefined
        ? []
        : [`… ${rows.length - page.nextOffset} more nodes not shown: use a shorter sample.`];
    return toolResult({
      text: [head, ...page.items, ...cut, ...notes, attributesText].join('\n'),
      structured: {
        language,
        lineNumbers: ast.lineNumbers,
        nodes: ast.nodes.slice(0, page.nextOffset ?? ast.nodes.length),
        attributeNames: ast.attributeNames,
      },
    });
  },
});
