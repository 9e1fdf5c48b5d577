/**
 * Reading a failed deployment or promotion from what users paste: Metadata API component failures as
 * text, the `sf project deploy` table, `componentFailures` JSON (bare, or inside `details` /
 * `result.details` / `data`), `sf … --json` file results, and DevOps Center promotion messages.
 * Pure functions: no I/O, nothing loaded.
 */

export interface MissingComponent {
  /** Metadata type of what the error says is absent (`ApexClass`, `CustomField`, `CustomObject`…). */
  type: string;
  /** Its name; a CustomField is `Object.Field__c` when the error names the object, else `Field__c`. */
  name: string;
}

export interface DeployError {
  componentType?: string;
  fullName?: string;
  file?: string;
  line?: number;
  column?: number;
  problem: string;
  /** The dependency the problem says does not exist. */
  missing?: MissingComponent;
}

/** Bounds on what is read, so a huge or deeply nested paste costs little. */
const MAX_TEXT = 1_000_000;
const MAX_ERRORS = 500;
const MAX_DEPTH = 12;
const MAX_PROBLEM = 2000;

/** Metadata types with a one-word name (longer ones are recognised by their CamelCase shape). */
const ONE_WORD_TYPES = new Set([
  'Bot',
  'Certificate',
  'Community',
  'Dashboard',
  'Document',
  'Flow',
  'Group',
  'Index',
  'Layout',
  'Letterhead',
  'Network',
  'Portal',
  'Profile',
  'Queue',
  'Report',
  'Role',
  'Settings',
  'Territory',
  'Translations',
  'Workflow',
]);

function isTypeName(word: string): boolean {
  return ONE_WORD_TYPES.has(word) || /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$/.test(word);
}

/** Suffixes of custom object kinds: custom objects, metadata types, platform events, big and external objects. */
const OBJECT_SUFFIX = /__(?:c|mdt|e|b|x|kav|ka)$/i;

/** A name as Salesforce writes it: letters, digits, `_`, `.` (Object.Field), `-` (layouts), `/` (folders). */
const NAME = '[A-Za-z0-9_][A-Za-z0-9_.\\-/]*';

function trimName(name: string): string {
  return name.replace(/[.,;:)'"\]]+$/, '');
}

/** What a problem says is missing, when it says so. */
export function missingDependency(problem: string): MissingComponent | undefined {
  let match: RegExpExecArray | null;

  // Custom labels first: "Field $Label.Region_Help does not exist".
  if (
    (match = /\$Label\.(\w+)/.exec(problem)) &&
    /does not exist|invalid|not found|cannot be found/i.test(problem)
  ) {
    return { type: 'CustomLabel', name: match[1] ?? '' };
  }
  if ((match = new RegExp(`no (\\w+) named (${NAME}) found`, 'i').exec(problem))) {
    return { type: match[1] ?? '', name: trimName(match[2] ?? '') };
  }
  if ((match = /Entity of type '(\w+)' named '([^']+)' cannot be found/i.exec(problem))) {
    return { type: match[1] ?? '', name: match[2] ?? '' };
  }
  if ((match = /No such column '(\w+)' on (?:entity|sobject of type) '?(\w+)'?/i.exec(problem))) {
    return { type: 'CustomField', name: `${match[2]}.${relationshipToField(match[1] ?? '')}` };
  }
  if ((match = /Invalid field (\w+) for (?:SObject|object|entity) (\w+)/i.exec(problem))) {
    return { type: 'CustomField', name: `${match[2]}.${relationshipToField(match[1] ?? '')}` };
  }
  if (
    (match = /Dependent class is invalid and needs recompilation:\s*Class\s+(\w+(?:\.\w+)?)/i.exec(problem))
  ) {
    return { type: 'ApexClass', name: match[1]?.split('.')[0] ?? '' };
  }
  if ((match = new RegExp(`Invalid type:\\s*(${NAME})`, 'i').exec(problem))) {
    return typeReference(trimName(match[1] ?? ''));
  }
  if ((match = new RegExp(`Variable does not exist:\\s*(${NAME})`, 'i').exec(problem))) {
    return variableReference(trimName(match[1] ?? ''));
  }
  if ((match = new RegExp(`\\bField (${NAME}) does not exist`, 'i').exec(problem))) {
    return fieldReference(trimName(match[1] ?? ''));
  }
  if ((match = /sObject type '(\w+)' is not supported/i.exec(problem))) {
    return { type: 'CustomObject', name: match[1] ?? '' };
  }
  if ((match = /Unable to find Apex action class referenced as '(\w+)'/i.exec(problem))) {
    return { type: 'ApexClass', name: match[1] ?? '' };
  }
  return undefined;
}

/** A relationship (`Region__r`) is backed by its field (`Region__c`). */
function relationshipToField(name: string): string {
  return name.replace(/__r$/i, '__c');
}

/** "Invalid type: X": a class, or an object when X has an object's suffix or is `Schema.X`. */
function typeReference(name: string): MissingComponent {
  const bare = name.replace(/^Schema\./i, '');
  if (OBJECT_SUFFIX.test(bare) || bare !== name) return { type: 'CustomObject', name: bare };
  return { type: 'ApexClass', name: bare.split('.')[0] ?? bare };
}

/** "Variable does not exist: X": a field when X looks like one, an object for `X__mdt`, else a class used statically. */
function variableReference(name: string): MissingComponent {
  const parts = name.split('.');
  const last = parts.at(-1) ?? name;
  if (/__(?:c|r)$/i.test(last)) {
    const field = relationshipToField(last);
    return { type: 'CustomField', name: parts.length >= 2 ? `${parts.at(-2)}.${field}` : field };
  }
  if (OBJECT_SUFFIX.test(last)) return { type: 'CustomObject', name: last };
  return { type: 'ApexClass', name: parts[0] ?? name };
}

function fieldReference(name: string): MissingComponent {
  const parts = name.split('.');
  const field = relationshipToField(parts.at(-1) ?? name);
  return { type: 'CustomField', name: parts.length >= 2 ? `${parts.at(-2)}.${field}` : field };
}

/** DevOps Center and git's words for a promotion stopped by a merge conflict. */
export function isMergeConflict(text: string): boolean {
  const sample = text.slice(0, MAX_TEXT);
  return (
    /\bMERGE_CONFLICTS?\b/.test(sample) ||
    /^\s*CONFLICTS?\s*:/m.test(sample) ||
    /\bCONFLICT \((?:content|contents|add\/add|modify\/delete|rename\/\w+|file\/directory)\)/.test(sample) ||
    /\bmerge conflicts?\b/i.test(sample) ||
    /Automatic merge failed; fix conflicts/i.test(sample)
  );
}

/** Splits a trailing or leading location off a problem: "(5:17)", "line 5, column 17", "Line: 5, Column: 17". */
function location(problem: string): { problem: string; line?: number; column?: number } {
  const patterns: RegExp[] = [
    /\s*\((\d+):(\d+)\)\s*(?:(\d+):(\d+))?\s*$/,
    /\s*\(\s*line:?\s*(\d+),?\s*col(?:umn)?:?\s*(\d+)\s*\)\s*$/i,
    /\s*(?:at\s+)?line:?\s*(\d+),?\s*col(?:umn)?:?\s*(\d+)\s*$/i,
    /^\s*(?:at\s+)?line:?\s*(\d+),?\s*col(?:umn)?:?\s*(\d+)\s*[:,-]\s*/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(problem);
    if (match) {
      const rest = (problem.slice(0, match.index) + problem.slice(match.index + match[0].length)).trim();
      return { problem: rest, line: Number(match[1]), column: Number(match[2]) };
    }
  }
  return { problem: problem.trim() };
}

function entry(fields: Omit<DeployError, 'missing' | 'problem'> & { problem: string }): DeployError {
  const located = location(fields.problem);
  const full = located.problem || fields.problem.trim();
  const problem = full.length > MAX_PROBLEM ? `${full.slice(0, MAX_PROBLEM)}…` : full;
  const result: DeployError = { problem };
  if (fields.componentType) result.componentType = fields.componentType;
  if (fields.fullName) result.fullName = fields.fullName;
  if (fields.file) result.file = fields.file;
  const line = fields.line ?? located.line;
  const column = fields.column ?? located.column;
  if (line !== undefined && Number.isFinite(line) && line > 0) result.line = line;
  if (column !== undefined && Number.isFinite(column) && column > 0) result.column = column;
  const missing = missingDependency(problem);
  if (missing && missing.name) result.missing = missing;
  return result;
}

// ---------------------------------------------------------------- JSON

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** One `componentFailures` element (Metadata API DeployMessage). */
function fromComponentFailure(failure: Record<string, unknown>): DeployError | undefined {
  if (asString(failure.problemType)?.toLowerCase() === 'warning') return undefined;
  const problem = asString(failure.problem);
  if (!problem) return undefined;
  return entry({
    componentType: asString(failure.componentType),
    fullName: asString(failure.fullName),
    file: asString(failure.fileName),
    line: asNumber(failure.lineNumber),
    column: asNumber(failure.columnNumber),
    problem,
  });
}

/** One element of `sf … --json` `result.files` with `state: "Failed"`. */
function fromFileResult(file: Record<string, unknown>): DeployError | undefined {
  if (asString(file.state) !== 'Failed') return undefined;
  if (asString(file.problemType)?.toLowerCase() === 'warning') return undefined;
  const problem = asString(file.error) ?? asString(file.problem);
  if (!problem) return undefined;
  return entry({
    componentType: asString(file.type),
    fullName: asString(file.fullName),
    file: asString(file.filePath),
    line: asNumber(file.lineNumber),
    column: asNumber(file.columnNumber),
    problem,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectJson(value: unknown, found: DeployError[], depth = 0): void {
  if (depth > MAX_DEPTH || found.length >= MAX_ERRORS) return;
  if (Array.isArray(value)) {
    for (const item of value) {
      // A bare array of failures, as some tools print them.
      if (isRecord(item) && 'problem' in item && ('componentType' in item || 'fullName' in item)) {
        const failure = fromComponentFailure(item);
        if (failure) found.push(failure);
      } else {
        collectJson(item, found, depth + 1);
      }
    }
    return;
  }
  if (!isRecord(value)) return;
  if ('problem' in value && ('componentType' in value || 'fullName' in value)) {
    const failure = fromComponentFailure(value);
    if (failure) found.push(failure);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === 'componentFailures') {
      for (const failure of Array.isArray(child) ? child : [child]) {
        const parsed = isRecord(failure) ? fromComponentFailure(failure) : undefined;
        if (parsed) found.push(parsed);
      }
    } else if (key === 'files' && Array.isArray(child)) {
      for (const file of child) {
        const parsed = isRecord(file) ? fromFileResult(file) : undefined;
        if (parsed) found.push(parsed);
      }
    } else if (key !== 'componentSuccesses' && key !== 'runTestResult') {
      collectJson(child, found, depth + 1);
    }
  }
}

/** The `message`-like strings of a JSON document, in order. */
function messagesIn(value: unknown, depth = 0, out: string[] = []): string[] {
  if (depth > MAX_DEPTH || out.length >= MAX_ERRORS) return out;
  if (Array.isArray(value)) for (const item of value) messagesIn(item, depth + 1, out);
  else if (isRecord(value)) {
    for (const [name, child] of Object.entries(value)) {
      if (
        typeof child === 'string' &&
        /^(?:message|errorMessage|error|problem|.*Error_Details__c|.*Message__c)$/i.test(name)
      ) {
        out.push(child);
      } else messagesIn(child, depth + 1, out);
    }
  }
  return out;
}

/** The JSON document in a paste, when there is one (possibly after a line of prose). */
function jsonIn(text: string): unknown {
  const trimmed = text.trim();
  const starts = [trimmed.indexOf('{'), trimmed.indexOf('[')].filter((index) => index >= 0);
  if (starts.length === 0) return undefined;
  const start = Math.min(...starts);
  const end = Math.max(trimmed.lastIndexOf('}'), trimmed.lastIndexOf(']'));
  if (end <= start) return undefined;
  try {
    return JSON.parse(trimmed.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- text

const TABLE_BORDER = /^[\s|│┃─━═┼┌┐└┘├┤┬┴╭╮╰╯-]*$/;
const HEADER =
  /^\s*[|│]?\s*(?:=== )?(?:Component Failures|Deploy Errors|Type\s+Name\s+Problem|Type\s+Project Path|PROJECT PATH\s+ERROR|TYPE\s+PROJECT PATH)/i;
const FILE_PATH = /^[\w.\-@$ ]*\/[\w.\-@$/ ]*\.[A-Za-z][\w-]*$/;

function cells(line: string): string[] | undefined {
  if (!/[|│]/.test(line)) return undefined;
  const parts = line
    .split(/[|│]/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return parts.length >= 2 ? parts : undefined;
}

/** A row of the `sf project deploy` failure table: `Error  AccountService  Variable does not exist: Foo  (5:17)`. */
function fromTableRow(line: string): DeployError | undefined {
  const columns = cells(line);
  let kind: string | undefined;
  let name: string | undefined;
  let problem: string | undefined;
  let where: string | undefined;
  if (columns) {
    [kind, name, problem, where] = columns;
  } else {
    const match = /^\s*(Error|Failed)\s+(\S+)\s+(.+?)(?:\s{2,}(\d+:\d+))?\s*$/.exec(line);
    if (!match) return undefined;
    [, kind, name, problem, where] = match;
  }
  if (!kind || !/^(Error|Failed)$/.test(kind) || !name || !problem) return undefined;
  const [line_, column] = (where ?? '').split(':').map(Number);
  const fields: Parameters<typeof entry>[0] = { problem };
  if (line_) fields.line = line_;
  if (column) fields.column = column;
  if (FILE_PATH.test(name)) fields.file = name;
  else if (isTypeName(name) && /^\S+\s{2,}/.test(problem)) {
    // "Error  ApexClass  AccountService  problem": a Type column before the name.
    const [, fullName = '', rest = ''] = /^(\S+)\s{2,}(.+)$/.exec(problem) ?? [];
    return entry({ ...fields, componentType: name, fullName, problem: rest });
  } else fields.fullName = name;
  return entry(fields);
}

/** `ApexClass AccountService: problem`, `ApexClass:AccountService - problem`, `AccountService (ApexClass) - problem`. */
function fromComponentLine(line: string): DeployError | undefined {
  const text = line
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(/^\s*(?:Error|Failed)\s*(?:\(\d+\))?\s*:\s*/i, '');
  let match = new RegExp(
    `^\\s*\\[?([A-Z]\\w+)\\]?[\\s:]\\s*(${NAME})\\s*(?::|\\s-\\s|\\s–\\s)\\s*(.+)$`,
  ).exec(text);
  if (match && isTypeName(match[1] ?? '')) {
    return entry({ componentType: match[1], fullName: trimName(match[2] ?? ''), problem: match[3] ?? '' });
  }
  match = new RegExp(`^\\s*(${NAME})\\s*\\(([A-Z]\\w+)\\)\\s*(?::|-|–)\\s*(.+)$`).exec(text);
  if (match && isTypeName(match[2] ?? '')) {
    return entry({ componentType: match[2], fullName: match[1], problem: match[3] ?? '' });
  }
  return undefined;
}

/** `force-app/main/default/classes/AccountService.cls: Invalid type: X`, also with `:5:17` or `(5:17)`. */
function fromFileLine(line: string): DeployError | undefined {
  const match =
    /^\s*((?:[\w.\-@$ ]+\/)+[\w.\-@$ ]+\.[A-Za-z][\w-]*)(?::(\d+)(?::(\d+))?|\s*\((\d+):(\d+)\))?\s*:\s*(.+)$/.exec(
      line,
    );
  if (!match) return undefined;
  const [, file, l1, c1, l2, c2, problem = ''] = match;
  const fields: Parameters<typeof entry>[0] = { file, problem };
  const lineNumber = Number(l1 ?? l2);
  const columnNumber = Number(c1 ?? c2);
  if (lineNumber) fields.line = lineNumber;
  if (columnNumber) fields.column = columnNumber;
  return entry(fields);
}

/** `force-app/main/default/classes/AccountService.cls   Variable does not exist: Foo (5:17)` (older table). */
function fromPathRow(line: string): DeployError | undefined {
  const match = /^\s*((?:[\w.\-@$]+\/)+[\w.\-@$]+\.[A-Za-z][\w-]*)\s{2,}(.+)$/.exec(line);
  if (!match) return undefined;
  return entry({ file: match[1], problem: match[2] ?? '' });
}

function fromText(text: string): DeployError[] {
  const found: DeployError[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (found.length >= MAX_ERRORS) break;
    const line = raw.replace(/\t/g, '  ').trimEnd();
    if (!line.trim() || TABLE_BORDER.test(line) || HEADER.test(line)) continue;
    const parsed = fromTableRow(line) ?? fromFileLine(line) ?? fromComponentLine(line) ?? fromPathRow(line);
    if (parsed) {
      found.push(parsed);
      continue;
    }
    // A line of prose that still names a missing component ("Invalid type: DiscountCalculator").
    const problem = line.trim();
    if (missingDependency(problem)) found.push(entry({ problem }));
  }
  return found;
}

function key(error: DeployError): string {
  return JSON.stringify([
    error.componentType,
    error.fullName,
    error.file,
    error.line,
    error.column,
    error.problem,
  ]);
}

/** Every component failure a paste describes, in order, duplicates dropped. */
export function parseDeployErrors(text: string): DeployError[] {
  const input = text.slice(0, MAX_TEXT);
  const found: DeployError[] = [];
  const json = jsonIn(input);
  if (json !== undefined) {
    collectJson(json, found);
    // JSON without component failures (an `sf --json` error, a promotion record): read its messages.
    if (found.length === 0) found.push(...fromText(messagesIn(json).join('\n')));
  }
  // Not JSON, or JSON that says nothing readable ("Component Failures [3]" parses as [3]): read the lines.
  if (found.length === 0) found.push(...fromText(input));
  const seen = new Set<string>();
  return found
    .filter((error) => {
      const id = key(error);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .slice(0, MAX_ERRORS);
}
