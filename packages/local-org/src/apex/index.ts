/**
 * What the local org can know about Apex without running it: whether a class, trigger or
 * anonymous block parses (with the compiler's line, column and problem), which classes are
 * tests and which methods they declare, and a trigger's object. Built on @apexdevtools/apex-parser.
 */
import {
  ApexErrorListener,
  ApexParseTreeWalker,
  ApexParserBaseListener,
  ApexParserFactory,
  ClassBodyDeclarationContext,
  type CompilationUnitContext,
  type MethodDeclarationContext,
  type ModifierContext,
} from '@apexdevtools/apex-parser';

export type ApexUnitKind = 'class' | 'trigger' | 'anonymous';

export interface ApexProblem {
  /** 1-based, as Salesforce reports it. */
  line: number;
  /** 1-based, as Salesforce reports it. */
  column: number;
  problem: string;
}

export interface ApexClassFacts {
  name: string;
  isTest: boolean;
  /** Test methods in source order (`@isTest` or `testMethod`), for a test class. */
  testMethods: string[];
  lengthWithoutComments: number;
}

export interface ApexTriggerFacts {
  name: string;
  /** The object the trigger is on (`TableEnumOrId`). */
  objectName: string;
  events: string[];
  lengthWithoutComments: number;
}

class CollectingListener extends ApexErrorListener {
  readonly problems: ApexProblem[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.problems.push({ line, column: column + 1, problem: salesforceProblem(message) });
  }
}

/** Words the Apex compiler uses, rather than ANTLR's. */
function salesforceProblem(antlrMessage: string): string {
  const missing = /^missing (.+) at '(.*)'$/s.exec(antlrMessage);
  if (missing) {
    const expected = missing[1] ?? '';
    return expected.startsWith('{')
      ? `Unexpected token '${missing[2]}'.`
      : `Missing ${expected} at '${missing[2]}'`;
  }
  const unexpected = /^(?:extraneous|mismatched) input '(.*?)' expecting/s.exec(antlrMessage);
  if (unexpected) return `Unexpected token '${unexpected[1]}'.`;
  const noViable = /^no viable alternative at input '(.*)'$/s.exec(antlrMessage);
  if (noViable) {
    const tokens = (noViable[1] ?? '').trim().split(/\s+/);
    return `Unexpected token '${tokens[tokens.length - 1] ?? ''}'.`;
  }
  const badToken = /^token recognition error at: '(.*)'$/s.exec(antlrMessage);
  if (badToken) return `Invalid character in identifier: ${badToken[1]}`;
  return antlrMessage;
}

function parserFor(source: string) {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  return { parser, problems: listener.problems };
}

/** Syntax problems of an Apex unit; empty when it parses. */
export function checkApexSyntax(source: string, kind: ApexUnitKind): ApexProblem[] {
  const { parser, problems } = parserFor(source);
  if (kind === 'class') parser.compilationUnit();
  else if (kind === 'trigger') parser.triggerUnit();
  else parser.anonymousUnit();
  return problems;
}

/** Characters of the source that are not comments (`LengthWithoutComments`). */
export function lengthWithoutComments(source: string): number {
  const lexer = ApexParserFactory.createLexer(source);
  let commentLength = 0;
  for (const token of lexer.getAllTokens()) {
    const text = token.text ?? '';
    if (text.startsWith('//') || text.startsWith('/*')) commentLength += text.length;
  }
  return source.length - commentLength;
}

/**
 * The local org reads test methods on its own, by walking the parse tree, so that it stays an
 * independent check of the tools that find them in source.
 */
function isTestAnnotation(modifier: ModifierContext): boolean {
  return /^@istest(?:\(|$)/i.test(modifier.getText());
}

/** `@isTest` or the legacy `testMethod` keyword. */
function marksTestMethod(modifier: ModifierContext): boolean {
  return isTestAnnotation(modifier) || /^testmethod$/i.test(modifier.getText());
}

/** Collects the methods marked as tests that the outermost class declares (not those of inner classes). */
class TestMethodCollector extends ApexParserBaseListener {
  readonly testMethods: string[] = [];
  private classDepth = 0;

  enterClassDeclaration = (): void => {
    this.classDepth += 1;
  };

  exitClassDeclaration = (): void => {
    this.classDepth -= 1;
  };

  enterMethodDeclaration = (method: MethodDeclarationContext): void => {
    if (this.classDepth !== 1) return;
    // methodDeclaration sits in a memberDeclaration, which sits in the classBodyDeclaration that holds the modifiers.
    const holder = method.parentCtx?.parentCtx;
    if (holder instanceof ClassBodyDeclarationContext && holder.modifier_list().some(marksTestMethod)) {
      this.testMethods.push(method.id().getText());
    }
  };
}

function collectTestMethods(tree: CompilationUnitContext): string[] {
  const collector = new TestMethodCollector();
  ApexParseTreeWalker.DEFAULT.walk(collector, tree);
  return collector.testMethods;
}

/** Name, test-ness and test methods of a class; undefined when it does not parse. */
export function describeApexClass(source: string): ApexClassFacts | undefined {
  const { parser, problems } = parserFor(source);
  const tree = parser.compilationUnit();
  if (problems.length > 0) return undefined;
  const typeDeclaration = tree.typeDeclaration();
  const classDeclaration = typeDeclaration.classDeclaration();
  const name =
    classDeclaration?.id().getText() ??
    typeDeclaration.interfaceDeclaration()?.id().getText() ??
    typeDeclaration.enumDeclaration()?.id().getText();
  if (!name) return undefined;
  const isTest = Boolean(classDeclaration) && typeDeclaration.modifier_list().some(isTestAnnotation);
  return {
    name,
    isTest,
    testMethods: isTest ? collectTestMethods(tree) : [],
    lengthWithoutComments: lengthWithoutComments(source),
  };
}

/** Name, object and events of a trigger; undefined when it does not parse. */
export function describeApexTrigger(source: string): ApexTriggerFacts | undefined {
  const { parser, problems } = parserFor(source);
  const tree = parser.triggerUnit();
  if (problems.length > 0) return undefined;
  const ids = tree.id_list();
  const name = ids[0]?.getText();
  const objectName = ids[1]?.getText();
  if (!name || !objectName) return undefined;
  return {
    name,
    objectName,
    events: tree.triggerCase_list().map((triggerCase) =>
      triggerCase
        .getText()
        .replace(/^(before|after)/i, '$1 ')
        .toLowerCase(),
    ),
    lengthWithoutComments: lengthWithoutComments(source),
  };
}
