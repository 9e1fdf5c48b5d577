/**
 * PMD through Java, for what code-analyzer-core has no API for: the AST of a code sample (for writing XPath), and
 * checking a custom XPath rule against PMD itself before it is written. Both run PMD's own jars, the ones
 * @salesforce/code-analyzer-pmd-engine ships, with `java` started by execFile (no shell, arguments as an array),
 * in a private temporary folder that is removed afterwards, with a timeout, and killed when the call is cancelled.
 *
 * A small Java program (below) does the work, started with Java's source launcher (Java 11+, needs a JDK). Where
 * the launcher cannot compile it (a JRE without the compiler), the AST comes from the PMD engine's own ast-dump
 * command instead, without line numbers.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ToolError, cancelled } from '@sfmcp/plugin-api';

/** PMD's languages (as code-analyzer names them), their PMD ids and a file extension PMD reads them from. */
export const PMD_LANGUAGES: Record<string, { id: string; extension: string }> = {
  apex: { id: 'apex', extension: '.cls' },
  visualforce: { id: 'visualforce', extension: '.page' },
  html: { id: 'html', extension: '.html' },
  javascript: { id: 'ecmascript', extension: '.js' },
  ecmascript: { id: 'ecmascript', extension: '.js' },
  xml: { id: 'xml', extension: '.xml' },
};

/** A sample for each language that parses: what a rule is checked against when no sample is given. */
const MINIMAL_SAMPLES: Record<string, string> = {
  apex: 'public class SfmcpSample {\n    public void run() {\n        Integer i = 0;\n    }\n}\n',
  visualforce: '<apex:page>\n    <apex:outputText value="x"/>\n</apex:page>\n',
  html: '<html><body><p>x</p></body></html>\n',
  ecmascript: 'function run() {\n    return 1;\n}\n',
  xml: '<?xml version="1.0" encoding="UTF-8"?>\n<root><item/></root>\n',
};

const JAVA_TIMEOUT_MS = 120_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** The one line a tool says when there is no Java. */
export const JAVA_MISSING =
  'PMD needs Java 11 or later: install a JDK 11+ and put java on PATH (or set JAVA_HOME), then call again.';

export function pmdLanguage(language: string): { id: string; extension: string } {
  const entry = PMD_LANGUAGES[language.trim().toLowerCase()];
  if (!entry) {
    throw new ToolError(
      `PMD has no language ${JSON.stringify(language.slice(0, 40))}.`,
      `Use one of: ${[...new Set(Object.keys(PMD_LANGUAGES))].join(', ')}.`,
      { kind: 'invalid' },
    );
  }
  return entry;
}

/** The folder of PMD jars inside @salesforce/code-analyzer-pmd-engine. */
export function pmdJavaLib(): string {
  const require = createRequire(import.meta.url);
  const folder = join(
    dirname(require.resolve('@salesforce/code-analyzer-pmd-engine/package.json')),
    'dist',
    'java-lib',
  );
  if (!existsSync(folder)) throw new ToolError(`The PMD engine's jars are missing (${folder}).`);
  return folder;
}

/** As the PMD engine finds Java: JAVA_HOME, JRE_HOME or JDK_HOME first, then java on PATH. */
export function javaCommand(): string {
  for (const variable of ['JAVA_HOME', 'JRE_HOME', 'JDK_HOME']) {
    const home = process.env[variable];
    if (!home) continue;
    const candidate = join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(candidate)) return candidate;
  }
  return 'java';
}

interface JavaRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

function runJava(args: readonly string[], signal: AbortSignal | undefined): Promise<JavaRun> {
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    execFile(
      javaCommand(),
      [...args],
      {
        timeout: JAVA_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        encoding: 'utf8',
        ...(signal ? { signal } : {}),
      },
      (error, stdout, stderr) => {
        if (signal?.aborted) return reject(cancelled());
        if (error) {
          const failure = error as NodeJS.ErrnoException & {
            killed?: boolean;
            code?: string | number | null;
          };
          if (failure.code === 'ENOENT')
            return reject(new ToolError(JAVA_MISSING, undefined, { kind: 'unavailable', code: 'NO_JAVA' }));
          if (failure.killed) {
            return reject(
              new ToolError(`PMD did not finish within ${JAVA_TIMEOUT_MS / 1000} s.`, undefined, {
                kind: 'unavailable',
              }),
            );
          }
          if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
            return reject(
              new ToolError('PMD printed more than 64 MB: use a smaller sample.', undefined, {
                kind: 'invalid',
              }),
            );
          return resolve({ stdout, stderr, code: typeof failure.code === 'number' ? failure.code : 1 });
        }
        resolve({ stdout, stderr, code: 0 });
      },
    );
  });
}

/** A private temporary folder for one call, always removed. */
async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sfmcp-pmd-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function classpath(): string {
  return join(pmdJavaLib(), '*');
}

/** The helper did not start: the source launcher needs Java 11+ with its compiler (a JDK). */
function launcherFailed(run: JavaRun): boolean {
  return !run.stdout.includes('@@') && run.code !== 0;
}

function javaTooOld(run: JavaRun): boolean {
  return /UnsupportedClassVersionError|Unrecognized option|class file version/i.test(run.stderr);
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line && !line.startsWith('Picked up')) ?? ''
  ).slice(0, 300);
}

/** One node of a PMD AST. */
export interface AstNode {
  depth: number;
  name: string;
  /** Absent when only the engine's ast-dump (no lines) could run. */
  line?: number;
  endLine?: number;
  attributes: Record<string, string>;
}

export interface AstDump {
  nodes: AstNode[];
  /** Every attribute name each node type has (for XPath), false and empty ones included. */
  attributeNames: Record<string, string[]>;
  lineNumbers: boolean;
}

/** Attributes every node has, or that are noise for writing XPath. */
const HIDDEN_ATTRIBUTES = new Set([
  'BeginLine',
  'EndLine',
  'BeginColumn',
  'EndColumn',
  'DefiningType',
  'RealLoc',
]);

function keepAttribute(name: string, value: string): boolean {
  return !HIDDEN_ATTRIBUTES.has(name) && value !== '' && value !== 'false' && value !== '[]';
}

function collectNames(names: Map<string, Set<string>>, node: string, attributes: Iterable<string>): void {
  let set = names.get(node);
  if (!set) names.set(node, (set = new Set()));
  for (const attribute of attributes) if (!HIDDEN_ATTRIBUTES.has(attribute)) set.add(attribute);
}

/** The PMD AST of `sampleCode`. */
export async function dumpAst(
  sampleCode: string,
  language: string,
  options: { signal?: AbortSignal; helper?: boolean } = {},
): Promise<AstDump> {
  const { id, extension } = pmdLanguage(language);
  return inTempDir(async (dir) => {
    const sample = join(dir, `Sample${extension}`);
    await writeFile(sample, sampleCode, 'utf8');
    try {
      if (options.helper !== false) {
        const helper = join(dir, 'SfmcpPmd.java');
        await writeFile(helper, HELPER_SOURCE, 'utf8');
        const run = await runJava(['-cp', classpath(), helper, 'ast', id, sample], options.signal);
        if (!launcherFailed(run)) return parseHelperAst(run);
        if (javaTooOld(run))
          throw new ToolError(JAVA_MISSING, undefined, { kind: 'unavailable', code: 'NO_JAVA' });
      }
      return await engineAstDump(dir, sample, id, options.signal);
    } catch (error) {
      // PMD names the temporary file; the sample is all the caller knows.
      if (error instanceof ToolError && error.message.includes(dir)) {
        throw new ToolError(error.message.replaceAll(`${dir}/`, '').replaceAll(dir, ''), error.hint, {
          kind: error.kind,
          ...(error.code ? { code: error.code } : {}),
        });
      }
      throw error;
    }
  });
}

function parseHelperAst(run: JavaRun): AstDump {
  const error = run.stdout.split('\n').find((line) => line.startsWith('@@ERROR '));
  if (error)
    throw new ToolError(`PMD could not parse the sample: ${error.slice(8, 400)}`, undefined, {
      kind: 'invalid',
    });
  const nodes: AstNode[] = [];
  const names = new Map<string, Set<string>>();
  for (const line of run.stdout.split('\n')) {
    if (!line.startsWith('@@N ')) continue;
    const raw = JSON.parse(line.slice(4)) as {
      d: number;
      n: string;
      b: number;
      e: number;
      a: Record<string, string>;
    };
    collectNames(names, raw.n, Object.keys(raw.a));
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw.a)) if (keepAttribute(key, value)) attributes[key] = value;
    nodes.push({ depth: raw.d, name: raw.n, line: raw.b, endLine: raw.e, attributes });
  }
  if (nodes.length === 0) throw new ToolError(`PMD printed no AST: ${firstLine(run.stderr) || 'no output'}`);
  return { nodes, attributeNames: sortedNames(names), lineNumbers: true };
}

function sortedNames(names: Map<string, Set<string>>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [node, set] of [...names].sort(([a], [b]) => a.localeCompare(b))) result[node] = [...set].sort();
  return result;
}

/** The PMD engine's own ast-dump (PMD's XML tree export, no line numbers): for a Java without its compiler. */
async function engineAstDump(
  dir: string,
  sample: string,
  id: string,
  signal: AbortSignal | undefined,
): Promise<AstDump> {
  const input = join(dir, 'astDumpInput.json');
  const output = join(dir, 'astDumpResults.json');
  await writeFile(input, JSON.stringify({ language: id, fileToDump: sample, encoding: 'UTF-8' }), 'utf8');
  const run = await runJava(
    ['-cp', classpath(), 'com.salesforce.sfca.pmdwrapper.PmdWrapper', 'ast-dump', input, output],
    signal,
  );
  const error = run.stdout.split('\n').find((line) => line.startsWith('[Error] '));
  if (error)
    throw new ToolError(
      `PMD could not parse the sample: ${error.slice(8, 400).replaceAll('{NEWLINE}', ' ')}`,
      undefined,
      { kind: 'invalid' },
    );
  if (run.code !== 0) {
    if (javaTooOld(run))
      throw new ToolError(JAVA_MISSING, undefined, { kind: 'unavailable', code: 'NO_JAVA' });
    throw new ToolError(`PMD failed: ${firstLine(run.stderr) || firstLine(run.stdout)}`);
  }
  const result = JSON.parse(await readFile(output, 'utf8')) as { ast?: string; error?: { message?: string } };
  if (!result.ast)
    throw new ToolError(`PMD could not parse the sample: ${result.error?.message ?? 'no AST'}`, undefined, {
      kind: 'invalid',
    });
  return parseXmlAst(result.ast);
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => XML_ENTITIES[name] ?? '');
}

/** PMD's XML export: one element per line, attributes in single quotes. */
export function parseXmlAst(xml: string): AstDump {
  const nodes: AstNode[] = [];
  const names = new Map<string, Set<string>>();
  let depth = 0;
  for (const raw of xml.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('<?')) continue;
    if (line.startsWith('</')) {
      depth -= 1;
      continue;
    }
    const element = /^<([\w.-]+)((?:\s+[\w.-]+='[^']*')*)\s*(\/?)>$/.exec(line);
    if (!element) continue;
    const attributes: Record<string, string> = {};
    const all: string[] = [];
    for (const match of (element[2] ?? '').matchAll(/([\w.-]+)='([^']*)'/g)) {
      const name = match[1] ?? '';
      const value = unescapeXml(unescapeXml(match[2] ?? ''));
      all.push(name);
      if (keepAttribute(name, value)) attributes[name] = value;
    }
    const name = element[1] ?? '';
    collectNames(names, name, all);
    nodes.push({ depth, name, attributes });
    if (element[3] !== '/') depth += 1;
  }
  return { nodes, attributeNames: sortedNames(names), lineNumbers: false };
}

export interface RuleCheck {
  /** Lines of the sample the rule matched. */
  violations: number[];
  /** What PMD refused: an XPath that does not compile, a rule it will not run. */
  errors: string[];
  /** The sample was the caller's (not a minimal one this module wrote). */
  sampleGiven: boolean;
}

/** Runs the ruleset with PMD on a sample (the caller's, or a minimal one): the errors PMD reports, and what it matched. */
export async function checkPmdRuleset(
  rulesetXml: string,
  language: string,
  sampleCode: string | undefined,
  options: { signal?: AbortSignal } = {},
): Promise<RuleCheck> {
  const { id, extension } = pmdLanguage(language);
  return inTempDir(async (dir) => {
    const sample = join(dir, `Sample${extension}`);
    const ruleset = join(dir, 'ruleset.xml');
    const helper = join(dir, 'SfmcpPmd.java');
    await writeFile(sample, sampleCode ?? MINIMAL_SAMPLES[id] ?? '', 'utf8');
    await writeFile(ruleset, rulesetXml, 'utf8');
    await writeFile(helper, HELPER_SOURCE, 'utf8');
    const run = await runJava(['-cp', classpath(), helper, 'check', id, sample, ruleset], options.signal);
    if (launcherFailed(run)) {
      if (javaTooOld(run))
        throw new ToolError(JAVA_MISSING, undefined, { kind: 'unavailable', code: 'NO_JAVA' });
      throw new ToolError(
        `Could not check the rule with PMD: ${firstLine(run.stderr) || 'java failed'}. Checking an XPath needs a JDK 11+ (java with its compiler).`,
        undefined,
        { kind: 'unavailable' },
      );
    }
    const violations: number[] = [];
    const errors: string[] = [];
    for (const line of run.stdout.split('\n')) {
      if (line.startsWith('@@V ')) violations.push(Number(line.slice(4)));
      else if (line.startsWith('@@ERROR ')) errors.push(line.slice(8).trim());
    }
    return { violations, errors, sampleGiven: sampleCode !== undefined };
  });
}

/**
 * The Java side: `ast <language> <file>` prints each node as `@@N {json}` (depth, XPath name, lines, attributes);
 * `check <language> <file> <ruleset>` runs the ruleset on the file with PMD and prints `@@V <line>` per violation
 * and `@@ERROR <message>` per configuration or processing error (an XPath that does not compile is one).
 */
const HELPER_SOURCE = String.raw`import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import net.sourceforge.pmd.PMDConfiguration;
import net.sourceforge.pmd.PmdAnalysis;
import net.sourceforge.pmd.lang.Language;
import net.sourceforge.pmd.lang.LanguageProcessor;
import net.sourceforge.pmd.lang.LanguageProcessorRegistry;
import net.sourceforge.pmd.lang.LanguageRegistry;
import net.sourceforge.pmd.lang.ast.Node;
import net.sourceforge.pmd.lang.ast.Parser;
import net.sourceforge.pmd.lang.ast.RootNode;
import net.sourceforge.pmd.lang.ast.SemanticErrorReporter;
import net.sourceforge.pmd.lang.document.TextDocument;
import net.sourceforge.pmd.lang.document.TextFile;
import net.sourceforge.pmd.lang.rule.xpath.Attribute;
import net.sourceforge.pmd.reporting.Report;
import net.sourceforge.pmd.reporting.RuleViolation;
import net.sourceforge.pmd.util.log.PmdReporter;
import org.slf4j.event.Level;

public class SfmcpPmd {
  public static void main(String[] args) throws Exception {
    Language language = LanguageRegistry.PMD.getLanguageById(args[1]);
    if (language == null) {
      System.out.println("@@ERROR PMD has no language " + args[1]);
      return;
    }
    Path file = Paths.get(args[2]);
    try {
      if (args[0].equals("ast")) ast(language, file);
      else check(file, args[3]);
    } catch (Exception e) {
      System.out.println("@@ERROR " + oneLine(String.valueOf(e.getMessage())));
    }
  }

  static void ast(Language language, Path file) throws Exception {
    LanguageRegistry registry = LanguageRegistry.PMD.getDependenciesOf(language);
    try (LanguageProcessorRegistry processors = LanguageProcessorRegistry.create(registry,
        Collections.singletonMap(language, language.newPropertyBundle()), PmdReporter.quiet())) {
      LanguageProcessor processor = processors.getProcessor(language);
      Parser parser = processor.services().getParser();
      try (TextFile text = TextFile.forPath(file, StandardCharsets.UTF_8, language.getDefaultVersion());
           TextDocument document = TextDocument.create(text)) {
        RootNode root = parser.parse(new Parser.ParserTask(document, SemanticErrorReporter.noop(), processors));
        print(root, 0);
      }
    }
  }

  static void print(Node node, int depth) {
    StringBuilder line = new StringBuilder("@@N {\"d\":").append(depth)
      .append(",\"n\":").append(quote(node.getXPathNodeName()))
      .append(",\"b\":").append(node.getBeginLine())
      .append(",\"e\":").append(node.getEndLine())
      .append(",\"a\":{");
    boolean first = true;
    for (Iterator<Attribute> it = node.getXPathAttributesIterator(); it.hasNext();) {
      Attribute attribute = it.next();
      String value;
      try {
        value = attribute.getStringValue();
      } catch (RuntimeException e) {
        continue;
      }
      if (value == null) continue;
      if (!first) line.append(',');
      first = false;
      line.append(quote(attribute.getName())).append(':').append(quote(value));
    }
    System.out.println(line.append("}}"));
    for (Node child : node.children()) print(child, depth + 1);
  }

  static void check(Path file, String ruleset) throws Exception {
    List<String> errors = new ArrayList<>();
    PMDConfiguration configuration = new PMDConfiguration();
    configuration.addRuleSet(ruleset);
    configuration.addInputPath(file);
    configuration.setThreads(1);
    configuration.setIgnoreIncrementalAnalysis(true);
    configuration.setReporter(new Collecting(errors));
    try (PmdAnalysis analysis = PmdAnalysis.create(configuration)) {
      Report report = analysis.performAnalysisAndCollectReport();
      for (Report.ConfigurationError error : report.getConfigurationErrors()) errors.add(error.issue());
      for (Report.ProcessingError error : report.getProcessingErrors()) errors.add(error.getMsg());
      for (RuleViolation violation : report.getViolations()) System.out.println("@@V " + violation.getBeginLine());
    }
    for (String error : errors) System.out.println("@@ERROR " + oneLine(error));
  }

  static final class Collecting implements PmdReporter {
    private final List<String> errors;

    Collecting(List<String> errors) {
      this.errors = errors;
    }

    public boolean isLoggable(Level level) {
      return level == Level.ERROR;
    }

    public void logEx(Level level, String message, Object[] args, Throwable error) {
      if (level != Level.ERROR) return;
      String text = message == null ? "" : java.text.MessageFormat.format(message.replace("'", "''"), args == null ? new Object[0] : args);
      if (error != null) text = text + (text.isEmpty() ? "" : ": ") + error.getMessage();
      errors.add(text);
    }

    public int numErrors() {
      return errors.size();
    }
  }

  static String oneLine(String text) {
    return text.replace('\r', ' ').replace('\n', ' ').replaceAll("\\s+", " ").trim();
  }

  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }
}
`;
