import { fileURLToPath } from 'node:url';
import { DESCRIPTION_BUDGET, checkRegistry, createRuntime, parseCli } from '@sfmcp/server';
import { describe, expect, it } from 'vitest';

const metaDir = fileURLToPath(new URL('..', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/sfmcp-plugin-example', import.meta.url));

/** Every toolset this package ships (plus the example plugin), GA and preview. */
async function everything() {
  const command = parseCli(['--toolsets', 'all', '--allow-non-ga-tools', '--plugin', example], metaDir);
  if (command.kind !== 'serve') throw new Error('unexpected');
  return createRuntime(command.options, { discoveryRoots: [metaDir], describeOnly: true });
}

describe('the registry of every installed toolset', () => {
  it('loads every plugin it finds', async () => {
    const runtime = await everything();
    expect(runtime.reports.filter((report) => report.status === 'failed')).toEqual([]);
    expect(runtime.registry.problems).toEqual([]);
  });

  it(`keeps the rules: unique names, explicit annotations, descriptions within ${DESCRIPTION_BUDGET} characters, no top-level oneOf/anyOf`, async () => {
    const runtime = await everything();
    expect(checkRegistry([...runtime.coreTools, ...runtime.selected])).toEqual([]);
  });

  it('has no empty toolset', async () => {
    const runtime = await everything();
    for (const [name, { plugin }] of runtime.registry.toolsets)
      expect(plugin.tools.length, name).toBeGreaterThan(0);
  });
});
