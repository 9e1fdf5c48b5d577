import type { RetrieveResult } from '@salesforce/source-deploy-retrieve';
import type { DxProject } from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import { describeRetrieve } from '../../src/lib/retrieve.js';

// describeRetrieve only reads where the project is; it never writes.
const project = {
  root: '/p',
  packageDirectories: ['/p/force-app'],
  resolve: (path: string) => path,
} as Partial<DxProject> as DxProject;

function result(files: Record<string, unknown>[]): RetrieveResult {
  return {
    response: { id: '09S000000000001AAA', status: 'Succeeded', messages: [] },
    getFileResponses: () => files,
  } as unknown as RetrieveResult;
}

describe('describeRetrieve', () => {
  it('over the budget: failures in full, the rest as components by state and type', () => {
    const files = Array.from({ length: 4000 }, (_, index) => ({
      type: 'ApexClass',
      fullName: `GeneratedService${Math.floor(index / 2)}`,
      state: 'Created',
      filePath: `/p/force-app/main/default/classes/GeneratedService${Math.floor(index / 2)}.cls${index % 2 ? '-meta.xml' : ''}`,
    }));
    files.push({
      type: 'ApexClass',
      fullName: 'Gone',
      state: 'Failed',
      error: 'Entity of type ApexClass named Gone cannot be found',
    } as never);
    const { text, structured } = describeRetrieve(
      { responseBudget: 20_000 },
      project,
      result(files),
      new Map(),
      [],
    );
    expect(text.length).toBeLessThan(20_000);
    expect(text).toContain('Failed | ApexClass | Gone');
    expect(text).toMatch(/ApexClass \(2000\): GeneratedService0, GeneratedService1, /);
    expect(text).toContain('Not every file is listed');
    expect(structured.omittedFiles).toBe(4000);
    expect(structured.files).toEqual([expect.objectContaining({ fullName: 'Gone', state: 'Failed' })]);
  });
});
