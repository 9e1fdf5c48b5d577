import { lstat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { LIMITS, ToolError, type DxProject, defineTool, excerpt, toolResult, z } from '@sfmcp/plugin-api';
import { findConfigFile } from '../lib/analyzer.js';
import {
  RULE_NAME,
  addRegexRule,
  addRulesetReference,
  configReference,
  engineDisabled,
  existingRegexRule,
  listedRulesets,
  loadConfig,
  normalizeRegex,
  pmdRulesetXml,
  regexFileExtensions,
  rulesetDeclares,
  rulesetFileName,
  severityName,
  type LoadedConfig,
} from '../lib/custom-rules.js';

const MAX_SAMPLE = 100_000;

export const createCustomRule = defineTool({
  name: 'create_custom_rule',
  title: 'Create a custom Code Analyzer rule',
  description:
    'Adds a PMD XPath rule (a ruleset in code-analyzer.yml; see get_ast_nodes_to_generate_xpath) or a regex rule to the project, checked before it is written; a rule of the same name is refused.',
  input: z.object({
    ruleName: z
      .string()
      .min(1)
      .max(100)
      .regex(RULE_NAME, 'letters, digits, _ and -, starting with a letter')
      .describe('e.g. NoSoqlInTriggers'),
    description: z.string().min(1).max(2000).describe('What the rule catches; also its PMD message.'),
    engine: z
      .string()
      .max(20)
      .optional()
      .describe('pmd (XPath rule) or regex (default: from xpath / regex).'),
    language: z.string().max(20).optional().describe('apex (default), visualforce, javascript, html, xml.'),
    xpath: z.string().max(20_000).optional().describe('PMD rule: the XPath matching a violation.'),
    priority: z.number().int().min(1).max(5).optional().describe('1 (critical) to 5 (info); default 3.'),
    workingDirectory: z
      .string()
      .min(1)
      .max(LIMITS.path)
      .optional()
      .describe('Folder of code-analyzer.yml (default: the project root).'),
    regex: z.string().max(10_000).optional().describe('Regex rule: /pattern/flags or a bare pattern.'),
    file_extensions: z
      .array(z.string().min(1).max(30))
      .max(50)
      .optional()
      .describe('Regex rule: files to read, e.g. [".cls"] (default: the language’s).'),
    violation_message: z.string().max(2000).optional().describe('Regex rule: message per match.'),
    tags: z
      .array(z.string().min(1).max(60))
      .max(20)
      .optional()
      .describe('Regex rule tags (default Recommended, Custom).'),
    sampleCode: z
      .string()
      .max(MAX_SAMPLE)
      .optional()
      .describe('A violating sample: it must match, or nothing is written.'),
  }),
  output: z.object({
    status: z.string(),
    engine: z.enum(['pmd', 'regex']),
    ruleName: z.string(),
    configPath: z.string(),
    rulesetPath: z.string().optional(),
    ruleXml: z.string().optional(),
    sampleMatches: z.array(z.number()).optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  changesOrg: false,
  release: 'preview',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const engine = (input.engine?.trim().toLowerCase() ||
      (input.regex !== undefined && !input.xpath ? 'regex' : 'pmd')) as string;
    if (engine !== 'pmd' && engine !== 'regex') {
      throw new ToolError(
        `create_custom_rule writes pmd and regex rules, not ${excerpt(engine, 20)}.`,
        undefined,
        {
          kind: 'invalid',
        },
      );
    }
    const project = await ctx.project();
    const workDir = project.resolve(input.workingDirectory ?? '.');
    const configFile = project.resolve(findConfigFile(workDir) ?? join(workDir, 'code-analyzer.yml'));
    const config = await loadConfig(configFile);
    const shown = (path: string) => relative(project.root, path) || '.';
    const priority = input.priority ?? 3;

    if (engine === 'pmd') {
      const xpath = input.xpath?.trim();
      if (!xpath) {
        throw new ToolError(
          'A pmd rule needs xpath. Get the sample’s AST with get_ast_nodes_to_generate_xpath, write the XPath, and call again.',
          undefined,
          { kind: 'invalid' },
        );
      }
      const { pmdLanguage, checkPmdRuleset } = await import('../lib/pmd-ast.js');
      const language = pmdLanguage(input.language ?? 'apex');
      const rulesetPath = join(workDir, rulesetFileName(input.ruleName));
      if (await exists(rulesetPath)) {
        throw new ToolError(
          `Refused: ${shown(rulesetPath)} already exists; a rule named ${input.ruleName} was created before. Nothing was written.`,
          'Choose another ruleName, or edit or remove that file yourself.',
          { kind: 'refused', code: 'RULE_EXISTS' },
        );
      }
      const listed = await listedRulesets(config);
      if (!listed.isList) {
        throw new ToolError(
          `engines.pmd.custom_rulesets in ${shown(configFile)} is not a list. Nothing was written.`,
        );
      }
      for (const entry of listed.entries) {
        const file = inProject(project, isAbsolute(entry) ? entry : resolve(config.root, entry));
        if (file && (await rulesetDeclares(file, input.ruleName))) {
          throw new ToolError(
            `Refused: ${shown(file)} already declares a rule named ${input.ruleName}. Nothing was written.`,
            'Choose another ruleName.',
            { kind: 'refused', code: 'RULE_EXISTS' },
          );
        }
      }
      const ruleXml = pmdRulesetXml({
        ruleName: input.ruleName,
        description: input.description,
        message: input.description,
        language: language.id,
        priority,
        xpath,
      });
      await ctx.progress(0, 2, 'Checking the rule with PMD');
      const check = await checkPmdRuleset(ruleXml, input.language ?? 'apex', input.sampleCode, {
        signal: ctx.signal,
      });
      if (check.errors.length) {
        throw new ToolError(
          `PMD rejects the rule: ${excerpt(check.errors[0] ?? '', 500)} Nothing was written.`,
          'Fix the XPath (see the AST from get_ast_nodes_to_generate_xpath) and call again.',
          { kind: 'invalid', code: 'INVALID_XPATH' },
        );
      }
      if (input.sampleCode !== undefined && check.violations.length === 0) {
        throw new ToolError(
          'The XPath matches nothing in sampleCode, so the rule would not catch it. Nothing was written.',
          'Compare the XPath with the AST from get_ast_nodes_to_generate_xpath for this sample.',
          { kind: 'invalid', code: 'NO_MATCH' },
        );
      }
      await ctx.progress(1, 2, 'Writing the rule');
      const reference = configReference(config, rulesetPath);
      if (!listed.entries.includes(reference)) await addRulesetReference(config, reference);
      await project.writeFile(rulesetPath, ruleXml, { overwrite: false });
      await writeConfig(project, config, () => project.removeFile(rulesetPath));
      const notes = notesFor(config, 'pmd');
      return toolResult({
        text: [
          `Created PMD rule ${input.ruleName} (${language.id}, priority ${priority}) in ${shown(rulesetPath)}, listed in ${shown(configFile)} under engines.pmd.custom_rulesets as ${reference}.`,
          check.sampleGiven ? `It matches sampleCode at line(s) ${check.violations.join(', ')}.` : '',
          `Run it: run_code_analyzer with selector "pmd:${input.ruleName}".`,
          ...notes,
        ]
          .filter(Boolean)
          .join('\n'),
        structured: {
          status: 'success',
          engine: 'pmd' as const,
          ruleName: input.ruleName,
          configPath: shown(configFile),
          rulesetPath: shown(rulesetPath),
          ruleXml,
          ...(check.sampleGiven ? { sampleMatches: check.violations } : {}),
        },
      });
    }

    if (!input.regex) {
      throw new ToolError('A regex rule needs regex (/pattern/flags, or a bare pattern).', undefined, {
        kind: 'invalid',
      });
    }
    const { text: regexText, regex } = normalizeRegex(input.regex);
    const fileExtensions = regexFileExtensions(input.file_extensions, input.language);
    const existing = await existingRegexRule(config, input.ruleName);
    if (existing) {
      throw new ToolError(
        `Refused: ${shown(configFile)} already has a regex rule named ${existing}. Nothing was written.`,
        'Choose another ruleName, or edit that rule in code-analyzer.yml yourself.',
        { kind: 'refused', code: 'RULE_EXISTS' },
      );
    }
    let sampleMatches: number[] | undefined;
    if (input.sampleCode !== undefined) {
      sampleMatches = matchLines(regex, input.sampleCode);
      if (sampleMatches.length === 0) {
        throw new ToolError('The regex matches nothing in sampleCode. Nothing was written.', undefined, {
          kind: 'invalid',
          code: 'NO_MATCH',
        });
      }
    }
    addRegexRule(config, input.ruleName, {
      regex: regexText,
      description: input.description,
      ...(fileExtensions ? { file_extensions: fileExtensions } : {}),
      ...(input.violation_message ? { violation_message: input.violation_message } : {}),
      severity: priority,
      ...(input.tags?.length ? { tags: input.tags } : {}),
    });
    await writeConfig(project, config);
    return toolResult({
      text: [
        `Created regex rule ${input.ruleName} (${regexText}, severity ${priority} ${severityName(priority)}${fileExtensions ? `, files ${fileExtensions.join(' ')}` : ', every file'}) in ${shown(configFile)} under engines.regex.custom_rules.`,
        sampleMatches ? `It matches sampleCode at line(s) ${sampleMatches.join(', ')}.` : '',
        `Run it: run_code_analyzer with selector "regex:${input.ruleName}".`,
        ...notesFor(config, 'regex'),
      ]
        .filter(Boolean)
        .join('\n'),
      structured: {
        status: 'success',
        engine: 'regex' as const,
        ruleName: input.ruleName,
        configPath: shown(configFile),
        ...(sampleMatches ? { sampleMatches } : {}),
      },
    });
  },
});

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path); // a dangling link counts: it is not ours to replace
    return true;
  } catch {
    return false;
  }
}

/** The file, when it resolves inside the project; else undefined (not ours to read). */
function inProject(project: DxProject, path: string): string | undefined {
  try {
    return project.resolve(path);
  } catch {
    return undefined;
  }
}

/** Writes code-analyzer.yml (atomically, never through a link); on failure runs `undo` and rethrows. */
async function writeConfig(
  project: DxProject,
  config: LoadedConfig,
  undo?: () => Promise<void>,
): Promise<void> {
  try {
    await project.writeFile(config.path, config.doc.toString(), { overwrite: config.exists });
  } catch (error) {
    if (undo) await undo().catch(() => undefined);
    throw error;
  }
}

function notesFor(config: LoadedConfig, engine: string): string[] {
  return engineDisabled(config, engine)
    ? [
        `Note: engines.${engine}.disable_engine is true in this config: the rule will not run until it is enabled.`,
      ]
    : [];
}

/** 1-based lines where the regex matches. */
function matchLines(regex: RegExp, text: string): number[] {
  const lines = new Set<number>();
  const scan = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
  for (const match of text.matchAll(scan)) {
    lines.add(text.slice(0, match.index).split('\n').length);
    if (lines.size >= 100) break;
  }
  return [...lines].sort((a, b) => a - b);
}
