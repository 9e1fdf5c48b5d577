import type { ToolLogger } from '@sfmcp/plugin-api';

/** stdout carries protocol only: every log line goes to stderr. */
export interface Logger extends ToolLogger {
  child(scope: string): Logger;
}

export function createLogger(options: {
  debug: boolean;
  scope?: string;
  write?: (line: string) => void;
}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const prefix = options.scope ? `[sfmcp:${options.scope}]` : '[sfmcp]';
  const emit = (level: string, message: string, data?: unknown) => {
    const suffix =
      data === undefined ? '' : ' ' + (data instanceof Error ? data.message : JSON.stringify(data));
    write(`${prefix} ${level} ${message}${suffix}`);
  };
  return {
    debug: (message, data) => (options.debug ? emit('debug', message, data) : undefined),
    info: (message, data) => emit('info', message, data),
    warn: (message, data) => emit('warn', message, data),
    error: (message, data) => emit('error', message, data),
    child: (scope) =>
      createLogger({ ...options, scope: options.scope ? `${options.scope}:${scope}` : scope }),
  };
}
