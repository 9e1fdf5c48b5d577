import type { DeployResult } from '@salesforce/source-deploy-retrieve';
import { describe, expect, it } from 'vitest';
import { describeDeploy } from '../../src/lib/deploy.js';

/** A finished deploy's result as source-deploy-retrieve gives it: the status and one response per file. */
function result(files: Record<string, unknown>[], status: Record<string, unknown> = {}): DeployResult {
  return {
    response: {
      id: '0Af000000000001AAA',
      status: 'Succeeded',
      success: true,
      checkOnly: false,
      done: true,
      details: {},
      ...status,
    },
    getFileResponses: () => files,
  } as unknown as DeployResult;
}

const created = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    type: 'ApexClass',
    fullName: `GeneratedService${index}`,
    state: 'Created',
    filePath: `/p/force-app/main/default/classes/GeneratedService${index}.cls`,
  }));

describe('describeDeploy', () => {
  it('lists every component when they fit, one row each, failures first', () => {
    const { text, structured } = describeDeploy(
      { responseBudget: 60_000 },
      undefined,
      result(
        [
          ...created(2),
          {
            type: 'ApexClass',
            fullName: 'Broken',
            state: 'Failed',
            filePath: '/p/Broken.cls',
            lineNumber: 3,
            columnNumber: 9,
            error: 'Unexpected token',
          },
        ],
        { status: 'Failed', success: false },
      ),
    );
    expect(structured.counts).toEqual({ Failed: 1, NotSaved: 2 });
    expect(structured.components[0]).toMatchObject({ state: 'Failed', line: 3, column: 9 });
    expect(text).toContain('Failed | ApexClass | Broken | /p/Broken.cls | 3 | 9 | Unexpected token');
    expect(text).toContain('nothing was saved');
  });

  it('over the budget: failures in full, the rest as names by state and type, and says what it left out', () => {
    const many = [
      ...created(3000),
      {
        type: 'ApexClass',
        fullName: 'Broken',
        state: 'Failed',
        error: 'Bad',
        lineNumber: 1,
        columnNumber: 1,
      },
    ];
    const { text, structured } = describeDeploy({ responseBudget: 60_000 }, undefined, result(many));
    expect(text.length).toBeLessThan(60_000);
    expect(text).toContain('Failed | ApexClass | Broken');
    expect(text).toMatch(/Created ApexClass \(3000\): GeneratedService0, GeneratedService1/);
    expect(structured.counts).toEqual({ Failed: 1, Created: 3000 });
    expect(structured.components).toHaveLength(1);
    expect(structured.omittedComponents).toBe(3000);

    const huge = describeDeploy({ responseBudget: 8_000 }, undefined, result(created(3000)));
    expect(huge.text.length).toBeLessThan(8_000);
    expect(huge.text).toMatch(/\(\d+ components not listed/);
  });
});
