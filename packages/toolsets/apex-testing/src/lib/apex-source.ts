/**
 * What the toolset reads from Apex source without an org: test classes and their test methods. Built on
 * @apexdevtools/apex-parser, loaded on first use.
 */
import type {
  AnnotationContext,
  ClassBodyDeclarationContext,
  ClassDeclarationContext,
  ModifierContext,
} from '@apexdevtools/apex-parser';

export interface TestClassFacts {
  name: string;
  testMethods: string[];
}

type ParserModule = typeof import('@apexdevtools/apex-parser');
let parserModule: Promise<ParserModule> | undefined;

function loadParser(): Promise<ParserModule> {
  parserModule ??= import('@apexdevtools/apex-parser');
  return parserModule;
}

async function parserFor(source: string) {
  const { ApexErrorListener, ApexParserFactory } = await loadParser();
  const problems: string[] = [];
  class Collecting extends ApexErrorListener {
    apexSyntaxError(line: number, column: number, message: string): void {
      problems.push(`${line}:${column + 1} ${message}`);
    }
  }
  const { parser } = ApexParserFactory.createLexerAndParser(source, new Collecting());
  return { parser, problems };
}

function annotationName(annotation: AnnotationContext | null | undefined): string | undefined {
  return annotation?.id()?.getText().toLowerCase();
}

function isTestModifier(modifier: ModifierContext): boolean {
  return annotationName(modifier.annotation()) === 'istest' || Boolean(modifier.TESTMETHOD());
}

function testMethodsOf(classDeclaration: ClassDeclarationContext): string[] {
  const methods: string[] = [];
  const declarations: ClassBodyDeclarationContext[] =
    classDeclaration.classBody()?.classBodyDeclaration_list() ?? [];
  for (const declaration of declarations) {
    const method = declaration.memberDeclaration()?.methodDeclaration();
    if (method && declaration.modifier_list().some(isTestModifier)) methods.push(method.id().getText());
  }
  return methods;
}

/** Cheap check before parsing: only sources mentioning @isTest or testMethod can hold tests. */
export function mayHoldTests(source: string): boolean {
  return /@istest|\btestmethod\b/i.test(source);
}

/**
 * The test class a source declares (an `@isTest` class, with its `@isTest` / `testMethod` methods);
 * undefined when it is no test class or does not parse.
 */
export async function describeTestClass(source: string): Promise<TestClassFacts | undefined> {
  if (!mayHoldTests(source)) return undefined;
  const { parser, problems } = await parserFor(source);
  const tree = parser.compilationUnit();
  if (problems.length > 0) return undefined;
  const typeDeclaration = tree.typeDeclaration();
  const classDeclaration = typeDeclaration.classDeclaration();
  if (!classDeclaration) return undefined;
  const isTest = typeDeclaration
    .modifier_list()
    .some((modifier) => annotationName(modifier.annotation()) === 'istest');
  if (!isTest) return undefined;
  return { name: classDeclaration.id().getText(), testMethods: testMethodsOf(classDeclaration) };
}
