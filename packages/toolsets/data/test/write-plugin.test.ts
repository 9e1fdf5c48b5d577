import { checkToolSnapshots } from '@sfmcp/testkit';
import { expect, it } from 'vitest';
import { writeTools } from '../src/tools/write-tools.js';

it('keeps the write tools’ published definitions', () => {
  expect(
    checkToolSnapshots({ plugin: { tools: writeTools }, dir: new URL('../__toolsnaps__', import.meta.url) }),
  ).toEqual([]);
});
