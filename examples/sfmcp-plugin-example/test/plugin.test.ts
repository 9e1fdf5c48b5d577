import { checkReadmeToolTable, checkToolSnapshots, createTestServer } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('sfmcp-plugin-example', () => {
  it('converts ids through the server', async () => {
    const server = await createTestServer({ plugins: [plugin], args: ['--tools', 'convert_record_id'] });
    const result = await server.call('convert_record_id', { ids: ['001000000000001', '001000000000001AAA'] });
    expect(result.structuredContent).toEqual({
      ids: [
        { id15: '001000000000001', id18: '001000000000001AAA', keyPrefix: '001' },
        { id15: '001000000000001', id18: '001000000000001AAA', keyPrefix: '001' },
      ],
    });
    // A published example pair: 001A0000006Vm9r is 001A0000006Vm9rIAC.
    expect((await server.call('convert_record_id', { ids: ['001A0000006Vm9r'] })).structuredContent).toEqual({
      ids: [{ id15: '001A0000006Vm9r', id18: '001A0000006Vm9rIAC', keyPrefix: '001' }],
    });
    await server.close();
  });

  it('refuses something that is not an id', async () => {
    const server = await createTestServer({ plugins: [plugin], args: ['--tools', 'convert_record_id'] });
    const result = await server.call('convert_record_id', { ids: ['hello'] });
    expect(result).toMatchObject({
      isError: true,
      text: '"hello" is not a Salesforce id: ids have 15 or 18 letters and digits.',
    });
    await server.close();
  });

  it('keeps its tool snapshots and README table current', () => {
    expect(checkToolSnapshots({ plugin, dir: new URL('../__toolsnaps__', import.meta.url) })).toEqual([]);
    expect(
      checkReadmeToolTable({ tools: plugin.tools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });
});
