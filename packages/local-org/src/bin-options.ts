/** Command-line options of `sfmcp-local-org`, parsed apart from the process so they can be tested. */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: sfmcp-local-org [--port N] [--data-dir DIR] [--seed file.json] [--empty] [--volume Object=COUNT ...]
                       [--deploy-ms MS] [--test-run-ms MS]

Runs a local Salesforce test double on 127.0.0.1 (not a real org). It speaks enough of the REST,
Tooling and Metadata APIs for @salesforce/core, source-deploy-retrieve and apex-node.

  --port N            port to listen on (default: a free one)
  --data-dir DIR      keep the org's state in DIR (loaded on start, saved on change and on stop)
  --seed FILE         JSON seed (LocalOrgSeed) instead of the demo company
  --empty             start with no demo data (one admin user only)
  --volume OBJ=COUNT  add COUNT generated records of OBJ (repeatable), e.g. Account=100000
  --deploy-ms MS      deploys take MS milliseconds (Pending, InProgress, then done; cancellable mid-way)
  --test-run-ms MS    asynchronous Apex test runs take MS milliseconds (Queued, Processing, Completed)
  --help              show this text`;

export interface BinOptions {
  help: boolean;
  port: number;
  dataDir?: string;
  seedFile?: string;
  empty: boolean;
  volumes: Array<{ objectName: string; count: number }>;
  /** How long deploys and test runs take; absent when neither flag is given (instant). */
  timing?: { deployMs?: number; testRunMs?: number };
}

/** Throws an Error with a message for the user when the arguments are wrong. */
export function parseBinArguments(argv: string[]): BinOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
      empty: { type: 'boolean' },
      volume: { type: 'string', multiple: true },
      'deploy-ms': { type: 'string' },
      'test-run-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, not ${values.port}`);
  if (values.seed && values.empty) throw new Error('--seed and --empty do not go together');
  const volumes = (values.volume ?? []).map((entry) => {
    const match = /^([A-Za-z][A-Za-z0-9_]*)=(\d+)$/.exec(entry);
    if (!match) throw new Error(`--volume takes Object=COUNT, not ${entry}`);
    return { objectName: match[1] as string, count: Number(match[2]) };
  });
  const milliseconds = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed))
      throw new Error(`--${flag} takes a number of milliseconds, not ${value}`);
    return parsed;
  };
  const deployMs = milliseconds('deploy-ms', values['deploy-ms']);
  const testRunMs = milliseconds('test-run-ms', values['test-run-ms']);
  return {
    ...(deployMs !== undefined || testRunMs !== undefined
      ? {
          timing: {
            ...(deployMs !== undefined ? { deployMs } : {}),
            ...(testRunMs !== undefined ? { testRunMs } : {}),
          },
        }
      : {}),
    help: values.help ?? false,
    port,
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values.seed ? { seedFile: values.seed } : {}),
    empty: values.empty ?? false,
    volumes,
  };
}
