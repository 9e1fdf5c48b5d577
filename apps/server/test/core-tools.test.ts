import { checkReadmeToolTable, checkToolSnapshots } from '@sfmcp/plugin-dev';
import { describe, expect, it } from 'vitest';
import { createDynamicTools } from '../src/core-tools/dynamic.js';
import { getUsernameTool } from '../src/core-tools/get_username.js';
import { resumeToolOperationTool } from '../src/core-tools/resume_tool_operation.js';
import type { Runtime } from '../src/runtime.js';

// The definitions do not depend on the runtime's contents; an empty one is enough to publish them.
const runtime = { selected: [] } as unknown as Runtime;
const coreTools = [
  getUsernameTool(runtime),
  resumeToolOperationTool({ resumers: [] }),
  ...createDynamicTools(runtime, new Map(), async () => undefined),
];

describe('core tools', () => {
  it('keep their published definitions (__toolsnaps__)', () => {
    expect(
      checkToolSnapshots({ plugin: { tools: coreTools }, dir: new URL('../__toolsnaps__', import.meta.url) }),
    ).toEqual([]);
  });

  it('are listed in the README table', () => {
    expect(
      checkReadmeToolTable({ tools: coreTools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });
});
