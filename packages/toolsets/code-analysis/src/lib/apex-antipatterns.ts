/**
 * Apex performance antipatterns, read from the Apex parse tree (@apexdevtools/apex-parser): SOQL, SOSL and DML in
 * loops (directly or through a method of the same file), dynamic SOQL and describe calls in loops, unbounded and
 * non-selective queries, nested loops over query results, and emails and async jobs sent once per iteration.
 * The parser is imported when a scan runs, never when this module loads.
 */

type ApexParserModule = typeof import('@apexdevtools/apex-parser');

export type AntipatternKind =
  | 'SOQL_IN_LOOP'
  | 'DYNAMIC_SOQL_IN_LOOP'
  | 'SOSL_IN_LOOP'
  | 'DML_IN_LOOP'
  | 'DESCRIBE_IN_LOOP'
  | 'EMAIL_IN_LOOP'
  | 'ASYNC_IN_LOOP'
  | 'NESTED_LOOP_OVER_QUERY'
  | 'UNBOUNDED_QUERY'
  | 'NON_SELECTIVE_QUERY';

export type AntipatternSeverity = 'high' | 'medium';

export interface Antipattern {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  antipattern: AntipatternKind;
  severity: AntipatternSeverity;
  /** The method (or trigger) it is in. */
  method?: string;
  /** The code, whitespace collapsed, cut to a short excerpt. */
  code: string;
  /** What is wrong here, in this code's terms. */
  detail: string;
  fix: string;
}

export interface AntipatternScan {
  /** The top-level class or trigger the file declares. */
  unitName?: string;
  findings: Antipattern[];
  /** Syntax problems: with any, the findings may be incomplete. */
  syntaxErrors: { line: number; column: number; message: string }[];
}

/** One line each: what to do instead. */
export const FIXES: Record<AntipatternKind, string> = {
  SOQL_IN_LOOP:
    'Query once before the loop: collect the ids in a Set, query WHERE … IN :ids, and read the rows from a Map<Id, SObject>.',
  DYNAMIC_SOQL_IN_LOOP:
    'Build the query once before the loop with bind variables (Database.queryWithBinds) and an IN :ids filter; concatenated values also invite SOQL injection.',
  SOSL_IN_LOOP:
    'Run one search before the loop for all terms (OR them in FIND) and match the results in memory.',
  DML_IN_LOOP: 'Add the records to a List in the loop and run one DML statement on the list after it.',
  DESCRIBE_IN_LOOP: 'Describe once before the loop and keep the result (e.g. a static Map cache).',
  EMAIL_IN_LOOP:
    'Collect the messages in a List in the loop and call Messaging.sendEmail once after it (10 calls per transaction).',
  ASYNC_IN_LOOP:
    'Start one job for the whole collection (pass it the ids) instead of one per iteration (50 jobs per transaction).',
  NESTED_LOOP_OVER_QUERY:
    'Index one collection once in a Map<Id, …> (or Map<Id, List<…>>) keyed by the join field and look rows up instead of looping: O(n+m), not O(n×m). Or query the children in a subquery.',
  UNBOUNDED_QUERY:
    'Add a selective WHERE filter (Id, Name, OwnerId, a lookup, an external id or another indexed field) or a LIMIT: without one the query reads every row and fails at 50,000 as data grows.',
  NON_SELECTIVE_QUERY:
    'Negative filters (!=, NOT IN, EXCLUDES, = null, LIKE with a leading %) cannot use an index: add a positive filter on an indexed field, or a LIMIT.',
};

const SEVERITY: Record<AntipatternKind, AntipatternSeverity> = {
  SOQL_IN_LOOP: 'high',
  DYNAMIC_SOQL_IN_LOOP: 'high',
  SOSL_IN_LOOP: 'high',
  DML_IN_LOOP: 'high',
  DESCRIBE_IN_LOOP: 'medium',
  EMAIL_IN_LOOP: 'high',
  ASYNC_IN_LOOP: 'high',
  NESTED_LOOP_OVER_QUERY: 'medium',
  UNBOUNDED_QUERY: 'medium',
  NON_SELECTIVE_QUERY: 'medium',
};

/** System methods by receiver (lower case): what calling them once per iteration costs. */
const SYSTEM_CALLS: Record<string, Record<string, AntipatternKind>> = {
  database: {
    query: 'DYNAMIC_SOQL_IN_LOOP',
    querywithbinds: 'DYNAMIC_SOQL_IN_LOOP',
    countquery: 'DYNAMIC_SOQL_IN_LOOP',
    countquerywithbinds: 'DYNAMIC_SOQL_IN_LOOP',
    getquerylocator: 'DYNAMIC_SOQL_IN_LOOP',
    getquerylocatorwithbinds: 'DYNAMIC_SOQL_IN_LOOP',
    insert: 'DML_IN_LOOP',
    update: 'DML_IN_LOOP',
    upsert: 'DML_IN_LOOP',
    delete: 'DML_IN_LOOP',
    undelete: 'DML_IN_LOOP',
    merge: 'DML_IN_LOOP',
    convertlead: 'DML_IN_LOOP',
    emptyrecyclebin: 'DML_IN_LOOP',
    insertasync: 'DML_IN_LOOP',
    updateasync: 'DML_IN_LOOP',
    deleteasync: 'DML_IN_LOOP',
    insertimmediate: 'DML_IN_LOOP',
    updateimmediate: 'DML_IN_LOOP',
    deleteimmediate: 'DML_IN_LOOP',
    executebatch: 'ASYNC_IN_LOOP',
  },
  eventbus: { publish: 'DML_IN_LOOP' },
  search: { query: 'SOSL_IN_LOOP', find: 'SOSL_IN_LOOP', suggest: 'SOSL_IN_LOOP' },
  schema: {
    getglobaldescribe: 'DESCRIBE_IN_LOOP',
    describesobjects: 'DESCRIBE_IN_LOOP',
    describetabs: 'DESCRIBE_IN_LOOP',
    describedatacategorygroups: 'DESCRIBE_IN_LOOP',
    describedatacategorygroupstructures: 'DESCRIBE_IN_LOOP',
  },
  messaging: { sendemail: 'EMAIL_IN_LOOP', sendemailmessage: 'EMAIL_IN_LOOP' },
  system: {
    enqueuejob: 'ASYNC_IN_LOOP',
    schedule: 'ASYNC_IN_LOOP',
    schedulebatch: 'ASYNC_IN_LOOP',
  },
};

/** What a system call in a loop does, for the finding's detail. */
const CALL_WHAT: Partial<Record<AntipatternKind, string>> = {
  DYNAMIC_SOQL_IN_LOOP: 'A dynamic query',
  DML_IN_LOOP: 'DML',
  SOSL_IN_LOOP: 'A search',
  DESCRIBE_IN_LOOP: 'A describe call',
  EMAIL_IN_LOOP: 'Sending email',
  ASYNC_IN_LOOP: 'Starting an async job',
};

/** Objects whose queries are bounded by the platform: custom metadata (cached, not counted) and the one Organization row. */
function boundedObject(name: string): boolean {
  return /__mdt$/i.test(name) || /^organization$/i.test(name);
}

/** The part of the antlr4 API this walk uses. */
interface Token {
  line: number;
  column: number;
  start: number;
  stop: number;
}
interface Tree {
  children?: Tree[] | null;
  start?: Token;
  stop?: Token;
  getText(): string;
}

interface Loop {
  line: number;
  /** It iterates over query results (a query, or a variable holding one). */
  overQuery: boolean;
  /** A for-each loop's variable, lower case. */
  variable?: string;
}

type Effect = 'SOQL_IN_LOOP' | 'SOSL_IN_LOOP' | 'DML_IN_LOOP';

interface MethodEffects {
  name: string;
  line: number;
  direct: Map<Effect, number>;
  callees: Set<string>;
}

const EFFECT_LABEL: Record<Effect, string> = {
  SOQL_IN_LOOP: 'SOQL',
  SOSL_IN_LOOP: 'SOSL',
  DML_IN_LOOP: 'DML',
};

function collapse(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Scans one Apex class or trigger. `className`, when given, limits the findings to that class (the top-level one
 * or an inner class of the file); `undefined` scans the whole file.
 */
export async function scanApexAntipatterns(
  source: string,
  options: { kind: 'class' | 'trigger'; className?: string },
): Promise<AntipatternScan & { classFound: boolean; classNames: string[] }> {
  const apex: ApexParserModule = await import('@apexdevtools/apex-parser');
  const syntaxErrors: AntipatternScan['syntaxErrors'] = [];
  class Collector extends apex.ApexErrorListener {
    apexSyntaxError(line: number, column: number, message: string): void {
      syntaxErrors.push({ line, column: column + 1, message });
    }
  }
  const { parser } = apex.ApexParserFactory.createLexerAndParser(source, new Collector());
  const root = (options.kind === 'trigger'
    ? parser.triggerUnit()
    : parser.compilationUnit()) as unknown as Tree;
  const scanner = new Scanner(apex, source);
  const classNames = scanner.classNames(root);
  const wanted = options.className?.toLowerCase();
  let scope: Tree = root;
  let classFound = wanted === undefined;
  if (wanted !== undefined) {
    const declaration = scanner.findClass(root, wanted);
    if (declaration) {
      classFound = true;
      scope = declaration;
    }
  }
  let unitName: string | undefined;
  if (root instanceof apex.TriggerUnitContext) unitName = root.id(0)?.getText();
  else unitName = classNames[0];
  const findings = classFound ? scanner.scan(scope, root) : [];
  return { unitName, findings, syntaxErrors, classFound, classNames };
}

class Scanner {
  private readonly findings: Antipattern[] = [];
  private readonly methods = new Map<string, MethodEffects>();
  private readonly classQueryVariables = new Set<string>();

  private readonly apex: ApexParserModule;
  private readonly source: string;

  constructor(apex: ApexParserModule, source: string) {
    this.apex = apex;
    this.source = source;
  }

  classNames(root: Tree): string[] {
    const names: string[] = [];
    this.each(root, (node) => {
      if (node instanceof this.apex.ClassDeclarationContext) names.push(node.id().getText());
      return true;
    });
    return names;
  }

  findClass(root: Tree, lowerName: string): Tree | undefined {
    let found: Tree | undefined;
    this.each(root, (node) => {
      if (found) return false;
      if (
        node instanceof this.apex.ClassDeclarationContext &&
        node.id().getText().toLowerCase() === lowerName
      ) {
        found = node as unknown as Tree;
        return false;
      }
      return true;
    });
    return found;
  }

  scan(scope: Tree, root: Tree): Antipattern[] {
    for (const name of this.classNames(root)) this.ownClasses.add(name.toLowerCase());
    // Same-file methods, for calls made in a loop: what each does, directly or through the others it calls.
    this.each(root, (node) => {
      if (node instanceof this.apex.MethodDeclarationContext) {
        const name = node.id().getText();
        const effects: MethodEffects = {
          name,
          line: this.line(node as unknown as Tree),
          direct: new Map(),
          callees: new Set(),
        };
        this.collectEffects(node as unknown as Tree, effects);
        const key = name.toLowerCase();
        const known = this.methods.get(key);
        if (known) {
          for (const [effect, line] of effects.direct)
            if (!known.direct.has(effect)) known.direct.set(effect, line);
          for (const callee of effects.callees) known.callees.add(callee);
        } else this.methods.set(key, effects);
        return false;
      }
      return true;
    });
    this.visit(scope, [], new Set(), undefined);
    return this.findings.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /** Calls `visit` on every node below `node` (itself included) while it returns true for the node. */
  private each(node: Tree, visit: (node: Tree) => boolean): void {
    if (!visit(node)) return;
    for (const child of node.children ?? []) this.each(child, visit);
  }

  private line(node: Tree): number {
    return node.start?.line ?? 0;
  }

  private text(node: Tree): string {
    const start = node.start?.start;
    const stop = node.stop?.stop;
    if (start === undefined || stop === undefined || stop < start) return node.getText();
    return this.source.slice(start, stop + 1);
  }

  private report(
    node: Tree,
    antipattern: AntipatternKind,
    method: string | undefined,
    detail: string,
    code = this.text(node),
  ): void {
    const line = this.line(node);
    const column = (node.start?.column ?? 0) + 1;
    if (this.findings.some((f) => f.line === line && f.column === column && f.antipattern === antipattern))
      return;
    this.findings.push({
      line,
      column,
      antipattern,
      severity: SEVERITY[antipattern],
      ...(method ? { method } : {}),
      code: collapse(code),
      detail,
      fix: FIXES[antipattern],
    });
  }

  /** A system call `Receiver.method(…)`: its receiver and method, lower case. */
  private systemCall(node: Tree): { receiver: string; method: string } | undefined {
    if (!(node instanceof this.apex.DotExpressionContext)) return undefined;
    const call = node.dotMethodCall();
    if (!call) return undefined;
    const receiver = node.expression().getText().toLowerCase();
    return { receiver: receiver.replace(/^system\./, ''), method: call.anyId().getText().toLowerCase() };
  }

  /** The same-file method a call names (`foo(…)`, `this.foo(…)`, `ClassName.foo(…)`), lower case. */
  private localCallee(node: Tree): string | undefined {
    if (node instanceof this.apex.MethodCallContext) {
      const id = node.id();
      return id ? id.getText().toLowerCase() : undefined;
    }
    if (node instanceof this.apex.DotExpressionContext) {
      const call = node.dotMethodCall();
      if (!call) return undefined;
      const name = call.anyId().getText().toLowerCase();
      const receiver = node.expression().getText().toLowerCase();
      if (receiver === 'this' || this.classNameSet().has(receiver)) return name;
    }
    return undefined;
  }

  /** The classes this file declares, lower case: `ClassName.foo()` calls one of its own methods. */
  private readonly ownClasses = new Set<string>();
  private classNameSet(): Set<string> {
    return this.ownClasses;
  }

  private collectEffects(node: Tree, effects: MethodEffects): void {
    this.each(node, (child) => {
      const effect = this.directEffect(child);
      if (effect && !effects.direct.has(effect)) effects.direct.set(effect, this.line(child));
      const callee = this.localCallee(child);
      if (callee) effects.callees.add(callee);
      return true;
    });
  }

  private directEffect(node: Tree): Effect | undefined {
    const apex = this.apex;
    if (node instanceof apex.SoqlLiteralContext) return 'SOQL_IN_LOOP';
    if (node instanceof apex.SoslLiteralContext || node instanceof apex.SoslLiteralAltContext)
      return 'SOSL_IN_LOOP';
    if (this.isDmlStatement(node)) return 'DML_IN_LOOP';
    const call = this.systemCall(node);
    if (call) {
      const kind = SYSTEM_CALLS[call.receiver]?.[call.method];
      if (kind === 'DYNAMIC_SOQL_IN_LOOP') return 'SOQL_IN_LOOP';
      if (kind === 'SOSL_IN_LOOP' || kind === 'DML_IN_LOOP') return kind;
    }
    return undefined;
  }

  private isDmlStatement(node: Tree): boolean {
    const apex = this.apex;
    return (
      node instanceof apex.InsertStatementContext ||
      node instanceof apex.UpdateStatementContext ||
      node instanceof apex.DeleteStatementContext ||
      node instanceof apex.UndeleteStatementContext ||
      node instanceof apex.UpsertStatementContext ||
      node instanceof apex.MergeStatementContext
    );
  }

  /** What a method does, through every same-file method it calls (cycles cut). */
  private transitiveEffects(
    name: string,
    seen = new Set<string>(),
  ): Map<Effect, { via: string; line: number }> {
    const result = new Map<Effect, { via: string; line: number }>();
    const method = this.methods.get(name);
    if (!method || seen.has(name)) return result;
    seen.add(name);
    for (const [effect, line] of method.direct) result.set(effect, { via: method.name, line });
    for (const callee of method.callees) {
      for (const [effect, where] of this.transitiveEffects(callee, seen)) {
        if (!result.has(effect))
          result.set(effect, { via: `${method.name} → ${where.via}`, line: where.line });
      }
    }
    return result;
  }

  /** The expression is a query (a SOQL literal or Database.query), possibly cast. */
  private isQueryExpression(node: Tree | null | undefined): boolean {
    if (!node) return false;
    return /^\s*(\(\s*[\w.<>,\s]+\)\s*)?(\[\s*select\b|database\s*\.\s*(query|querywithbinds)\s*\()/i.test(
      this.text(node),
    );
  }

  /** The expression is a variable holding query results (`accounts`, `this.accounts`). */
  private isQueryVariable(node: Tree | null | undefined, queryVariables: Set<string>): boolean {
    if (!node) return false;
    const text = node
      .getText()
      .toLowerCase()
      .replace(/^this\./, '');
    return queryVariables.has(text) || this.classQueryVariables.has(text);
  }

  private visit(node: Tree, loops: Loop[], queryVariables: Set<string>, method: string | undefined): void {
    const apex = this.apex;
    if (node instanceof apex.MethodDeclarationContext || node instanceof apex.ConstructorDeclarationContext) {
      const name =
        node instanceof apex.MethodDeclarationContext ? node.id().getText() : node.qualifiedName().getText();
      for (const child of node.children ?? []) this.visit(child as Tree, [], new Set(), name);
      return;
    }
    if (node instanceof apex.TriggerBlockContext) {
      for (const child of node.children ?? [])
        this.visit(child as Tree, [], queryVariables, method ?? 'trigger');
      return;
    }
    if (node instanceof apex.FieldDeclarationContext) {
      for (const declarator of node.variableDeclarators().variableDeclarator_list()) {
        if (this.isQueryExpression(declarator.expression() as unknown as Tree))
          this.classQueryVariables.add(declarator.id().getText().toLowerCase());
      }
    }
    if (node instanceof apex.LocalVariableDeclarationContext) {
      for (const declarator of node.variableDeclarators().variableDeclarator_list()) {
        if (this.isQueryExpression(declarator.expression() as unknown as Tree))
          queryVariables.add(declarator.id().getText().toLowerCase());
      }
    }
    if (node instanceof apex.AssignExpressionContext && node.ASSIGN()) {
      const [left, right] = node.expression_list();
      if (left && this.isQueryExpression(right as unknown as Tree))
        queryVariables.add(
          left
            .getText()
            .toLowerCase()
            .replace(/^this\./, ''),
        );
    }

    if (node instanceof apex.ForStatementContext) {
      const control = node.forControl();
      const enhanced = control.enhancedForControl();
      if (enhanced) {
        const iterable = enhanced.expression() as unknown as Tree;
        // The collection expression runs once, before the loop: a SOQL for loop is the right way to query.
        this.visit(iterable, loops, queryVariables, method);
        const overQuery = this.isQueryExpression(iterable) || this.isQueryVariable(iterable, queryVariables);
        const loop: Loop = {
          line: this.line(node as unknown as Tree),
          overQuery,
          variable: enhanced.id().getText().toLowerCase(),
        };
        this.checkNesting(node as unknown as Tree, iterable, loop, loops, method);
        this.visit(node.statement() as unknown as Tree, [...loops, loop], queryVariables, method);
        return;
      }
      const init = control.forInit();
      if (init) this.visit(init as unknown as Tree, loops, queryVariables, method);
      const condition = control.expression() as unknown as Tree | null;
      const overQuery = condition
        ? [...queryVariables, ...this.classQueryVariables].some((name) =>
            new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\.\\s*size\\s*\\(`, 'i').test(
              this.text(condition),
            ),
          )
        : false;
      const loop: Loop = { line: this.line(node as unknown as Tree), overQuery };
      if (overQuery) this.checkNesting(node as unknown as Tree, undefined, loop, loops, method);
      const inner = [...loops, loop];
      if (condition) this.visit(condition, inner, queryVariables, method);
      const update = control.forUpdate();
      if (update) this.visit(update as unknown as Tree, inner, queryVariables, method);
      const body = node.statement();
      if (body) this.visit(body as unknown as Tree, inner, queryVariables, method);
      return;
    }
    if (node instanceof apex.WhileStatementContext || node instanceof apex.DoWhileStatementContext) {
      const loop: Loop = { line: this.line(node as unknown as Tree), overQuery: false };
      for (const child of node.children ?? [])
        this.visit(child as Tree, [...loops, loop], queryVariables, method);
      return;
    }

    if (node instanceof apex.QueryContext && !(node instanceof apex.SubQueryContext))
      this.checkQuery(node, method);

    if (loops.length > 0) this.checkInLoop(node, loops, method);
    for (const child of node.children ?? []) this.visit(child as Tree, loops, queryVariables, method);
  }

  private checkNesting(
    node: Tree,
    iterable: Tree | undefined,
    loop: Loop,
    loops: Loop[],
    method: string | undefined,
  ) {
    const outer = loops[loops.length - 1];
    if (!outer) return;
    if (!loop.overQuery && !outer.overQuery) return;
    // for (Contact c : account.Contacts): the children of the outer row, from a subquery, are the right way.
    const iterableText = iterable?.getText().toLowerCase() ?? '';
    if (loops.some((frame) => frame.variable && iterableText.startsWith(`${frame.variable}.`))) return;
    // The loop's header, not its body.
    const body = (node as unknown as { statement(): Tree | null }).statement();
    const start = node.start?.start ?? 0;
    const header = body?.start ? this.source.slice(start, body.start.start) : this.text(node);
    this.report(
      node,
      'NESTED_LOOP_OVER_QUERY',
      method,
      `This loop runs inside the loop at line ${outer.line}, over query results: n×m iterations.`,
      header,
    );
  }

  private checkInLoop(node: Tree, loops: Loop[], method: string | undefined): void {
    const apex = this.apex;
    const loopLine = loops[loops.length - 1]?.line;
    const inLoop = `in the loop at line ${loopLine}`;
    if (node instanceof apex.SoqlLiteralContext) {
      this.report(
        node,
        'SOQL_IN_LOOP',
        method,
        `A query runs once per iteration ${inLoop} (100 per transaction).`,
      );
      return;
    }
    if (node instanceof apex.SoslLiteralContext || node instanceof apex.SoslLiteralAltContext) {
      this.report(
        node,
        'SOSL_IN_LOOP',
        method,
        `A search runs once per iteration ${inLoop} (20 per transaction).`,
      );
      return;
    }
    if (this.isDmlStatement(node)) {
      this.report(
        node,
        'DML_IN_LOOP',
        method,
        `DML runs once per iteration ${inLoop} (150 statements per transaction).`,
      );
      return;
    }
    const call = this.systemCall(node);
    if (call) {
      // Schema.getGlobalDescribe() and friends, and any sObject or field token's getDescribe().
      const kind: AntipatternKind | undefined =
        SYSTEM_CALLS[call.receiver]?.[call.method] ??
        (call.method === 'getdescribe' ? 'DESCRIBE_IN_LOOP' : undefined);
      if (kind) {
        const args = (node as unknown as { dotMethodCall(): { expressionList(): Tree | null } })
          .dotMethodCall()
          .expressionList();
        const concatenated = kind === 'DYNAMIC_SOQL_IN_LOOP' && args !== null && /\+/.test(this.text(args));
        const what = concatenated ? 'A query built by string concatenation' : (CALL_WHAT[kind] ?? 'A call');
        this.report(node, kind, method, `${what} runs once per iteration ${inLoop}.`);
        return;
      }
    }
    const callee = this.localCallee(node);
    if (callee) {
      for (const [effect, where] of this.transitiveEffects(callee)) {
        this.report(
          node,
          effect,
          method,
          `${where.via}() runs ${EFFECT_LABEL[effect]} (line ${where.line}); it is called once per iteration ${inLoop}.`,
        );
      }
    }
  }

  private checkQuery(
    query: InstanceType<ApexParserModule['QueryContext']>,
    method: string | undefined,
  ): void {
    if (query.limitClause()) return;
    const from = query.fromNameList().getText();
    if (boundedObject(from.split(',')[0] ?? '')) return;
    const where = query.whereClause();
    const node = query as unknown as Tree;
    if (!where) {
      this.report(node, 'UNBOUNDED_QUERY', method, `Reads every ${from} row: no WHERE and no LIMIT.`);
      return;
    }
    const fields: Tree[] = [];
    this.each(where as unknown as Tree, (child) => {
      if (child instanceof this.apex.FieldExpressionContext) fields.push(child as unknown as Tree);
      return !(child instanceof this.apex.SubQueryContext);
    });
    const negated = /^\s*where\s+not\b/i.test(this.text(where as unknown as Tree));
    if (fields.length > 0 && (negated || fields.every((field) => this.isNegativeFilter(field)))) {
      this.report(
        node,
        'NON_SELECTIVE_QUERY',
        method,
        `Only negative filters on ${from}, and no LIMIT: a full scan.`,
      );
    }
  }

  private isNegativeFilter(field: Tree): boolean {
    const expression = field as unknown as InstanceType<ApexParserModule['FieldExpressionContext']>;
    const operator = expression.comparisonOperator()?.getText().toLowerCase() ?? '';
    const value = expression.value();
    if (operator === '!=' || operator === '<>' || operator === 'notin' || operator === 'excludes')
      return true;
    if (operator === '=' && value?.NULL()) return true;
    if (operator === 'like') {
      const literal = value?.StringLiteral()?.getText() ?? '';
      return literal.startsWith("'%");
    }
    return false;
  }
}
