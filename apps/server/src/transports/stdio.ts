import type { Runtime } from '../runtime.js';
import { createSession } from '../session.js';
import { SafeStdioTransport } from './stdio-transport.js';

/** Serves one session on stdin/stdout; resolves when the client goes away or a signal arrives. */
export async function serveStdio(runtime: Runtime): Promise<void> {
  const server = createSession(runtime);
  const transport = new SafeStdioTransport();
  // What the transport skips is logged, never fatal.
  transport.onerror = (error) => runtime.log.warn(`stdio: ${error.message}`);
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
