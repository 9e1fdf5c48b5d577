import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApexServer, stateRecords } from '../helpers.js';

let server: LocalOrgTestServer;
const asked: string[] = [];
let approve = true;

beforeAll(async () => {
  server = await startApexServer({ args: ['--allow-non-ga-tools'] });
});

afterAll(async () => {
  await server?.close();
});

async function withElicitation(): Promise<LocalOrgTestServer> {
  const { createLocalOrgTestServer } = await import('@sfmcp/testkit');
  const { default: plugin } = await import('../../src/index.js');
  const { apexSeed } = await import('../helpers.js');
  return createLocalOrgTestServer({
    plugins: [plugin],
    seed: apexSeed(),
    args: ['--allow-non-ga-tools'],
    onElicit: (message) => {
      asked.push(message);
      return { action: 'accept', content: { confirm: approve } };
    },
  });
}

describe('execute_anonymous_apex', () => {
  it('is a destructive preview tool: without elicitation it returns the code as a preview and a token', async () => {
    // No declared entry matches this block: the local org cannot run Apex, so it says the block was not executed.
    const code = "System.debug('x'); Integer i = 1/0;";
    const preview = await server.call('execute_anonymous_apex', { apexCode: code });
    expect(preview.isError).toBeFalsy(); // a preview is a successful result
    expect(preview.text).toContain('Confirmation needed — nothing has been changed yet.');
    expect(preview.text).toContain('Run 1 line of anonymous Apex in local-test');
    expect(preview.text).toContain(code);
    expect(stateRecords(server, 'ApexLog')).toHaveLength(0);
    const token = /confirmationToken: "([^"]+)"/.exec(preview.text)?.[1];
    const ran = await server.call('execute_anonymous_apex', { apexCode: code, confirmationToken: token });
    // Not executed is not a success: an error result that says plainly what happened (no "Failed:").
    expect(ran.isError).toBe(true);
    expect(ran.text).toMatch(/^Not executed: the sfmcp local org \(a test double\) cannot run Apex\./m);
    expect(ran.text).toContain("Declare this block's outcome in the seed (declared.anonymousApex)");
    expect(ran.text).not.toContain('Failed:');
    expect(ran.text).not.toContain('Executed successfully.');
    expect(ran.text).not.toContain('Debug log');
    expect(ran.structuredContent).toBeUndefined();
  });

  it('reports a syntax error with its line and column, and a declared exception with the filtered log', async () => {
    const elicit = await withElicitation();
    try {
      const broken = await elicit.call('execute_anonymous_apex', {
        apexCode: 'Integer x = 1;\nInteger y = ;',
      });
      expect(broken.isError).toBe(true);
      expect(broken.text).toContain("Compile error at line 2, column 13: Unexpected token ';'. Nothing ran.");
      expect(asked.at(-1)).toContain('Integer y = ;');

      const failing = await elicit.call('execute_anonymous_apex', {
        apexCode: 'delete [SELECT Id FROM Account];',
      });
      expect(failing.isError).toBeFalsy();
      expect(failing.text).toContain('Failed: System.DmlException: Delete failed.');
      expect(failing.text).toContain('USER_DEBUG|[1]|DEBUG|about to delete');
      expect(failing.text).toContain('EXCEPTION_THROWN');
      expect(failing.text).not.toContain('SOQL_EXECUTE_BEGIN');
      expect(failing.structuredContent).toMatchObject({
        compiled: true,
        success: false,
        exceptionMessage: 'System.DmlException: Delete failed.',
        exceptionStackTrace: 'AnonymousBlock: line 1, column 1',
      });

      approve = false;
      const declined = await elicit.call('execute_anonymous_apex', { apexCode: "System.debug('no');" });
      expect(declined.text).toBe('Cancelled: the user did not approve. Nothing was changed.');
      approve = true;
    } finally {
      await elicit.close();
    }
  });

  it('is not loaded without --allow-non-ga-tools', async () => {
    const { createLocalOrgTestServer } = await import('@sfmcp/testkit');
    const { default: plugin } = await import('../../src/index.js');
    const ga = await createLocalOrgTestServer({ plugins: [plugin] });
    try {
      const { tools } = await ga.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('execute_anonymous_apex');
    } finally {
      await ga.close();
    }
  });
});
