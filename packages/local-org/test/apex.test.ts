import { describe, expect, it } from 'vitest';
import {
  checkApexSyntax,
  describeApexClass,
  describeApexTrigger,
  lengthWithoutComments,
} from '../src/apex/index.js';

describe('Apex parsing helpers', () => {
  it('reports a missing semicolon with the 1-based line and column the compiler gives', () => {
    const source = 'public class Broken {\n  void run() {\n    Integer i = 1\n  }\n}';
    expect(checkApexSyntax(source, 'class')).toEqual([{ line: 4, column: 3, problem: "Missing ';' at '}'" }]);
  });

  it('accepts a valid class, trigger and anonymous block', () => {
    expect(
      checkApexSyntax('public class Ok { public Integer twice(Integer x) { return x * 2; } }', 'class'),
    ).toEqual([]);
    expect(checkApexSyntax('trigger T on Account (before insert, after update) { }', 'trigger')).toEqual([]);
    expect(checkApexSyntax("System.debug('hi');\nInteger x = 2;", 'anonymous')).toEqual([]);
  });

  it('reports an unexpected token', () => {
    const [problem] = checkApexSyntax('Integer x = ;', 'anonymous');
    expect(problem).toMatchObject({ line: 1, column: 13, problem: "Unexpected token ';'." });
  });

  it('finds test classes and their test methods', () => {
    const source = [
      '@IsTest',
      'private class AccountServiceTest {',
      '  @TestSetup static void setup() {}',
      '  @isTest static void createsAccount() {}',
      '  static testMethod void legacyStyle() {}',
      '  static void helper() {}',
      '}',
    ].join('\n');
    expect(describeApexClass(source)).toMatchObject({
      name: 'AccountServiceTest',
      isTest: true,
      testMethods: ['createsAccount', 'legacyStyle'],
    });
    expect(describeApexClass('public class AccountService { }')).toMatchObject({
      name: 'AccountService',
      isTest: false,
      testMethods: [],
    });
    expect(describeApexClass('public class {')).toBeUndefined();
  });

  it("counts only the outer class's own methods marked @isTest (with or without parameters) or testMethod", () => {
    const source = [
      '@IsTest(SeeAllData=true)',
      'private class MarkersTest {',
      '  @isTest(isParallel=true) static void withParameters() {}',
      '  @IsTest static testMethod void both() {}',
      '  @isTest MarkersTest() {}',
      '  @isTest static Integer counter { get; set; }',
      '  @isTest static Integer seed = 1;',
      '  class Inner { @isTest void innerMethod() {} }',
      '  interface Shape { void area(); }',
      '  @isTestLike static void lookalike() {}',
      '  @Deprecated static void notATest() {}',
      '  static testmethod void lowerCase() {}',
      '}',
    ].join('\n');
    expect(describeApexClass(source)?.testMethods).toEqual(['withParameters', 'both', 'lowerCase']);
    expect(
      describeApexClass('public class NotATestClass { @isTest static void orphan() {} }')?.testMethods,
    ).toEqual([]);
    expect(describeApexClass('@isTest interface Marked { void m(); }')).toMatchObject({
      name: 'Marked',
      isTest: false,
      testMethods: [],
    });
  });

  it('reads a trigger name, object and events', () => {
    expect(
      describeApexTrigger('trigger AccountTrigger on Account (before insert, after update) {}'),
    ).toMatchObject({
      name: 'AccountTrigger',
      objectName: 'Account',
      events: ['before insert', 'after update'],
    });
  });

  it('counts characters without comments', () => {
    expect(lengthWithoutComments('/* c */class A {} // x')).toBe('class A {} '.length);
  });
});
