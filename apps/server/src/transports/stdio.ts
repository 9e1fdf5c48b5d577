import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Runtime } from '../runtime.js';
import { createSession } from '../session.js';

/** Serves one session on stdin/stdout; resolves when the client goes away or a signal arrives. */
export async function serveStdio(runtime: Runtime): Promise<void> {
  const server = createSession(runtime);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  runtime.log.debug('serving on stdio');
  await new Promise<void>((resolve) => {
    const finish = () => resolve();
    process.stdin.once('end', finish);
    process.stdin.once('close', finish);
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    server.onclose = finish;
  });
  await server.close().catch(() => undefined);
}
