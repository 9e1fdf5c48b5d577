import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { CLIENT_IDS, type ClientId, isClientId } from './clients.js';
import { DEFAULT_ORG_TIMEOUT_SECONDS } from './orgs/call-scope.js';

export interface ServerOptions {
  orgs: string[];
  toolsets: string[] | 'all';
  tools: string[];
  allowNonGaTools: boolean;
  readOnly: boolean;
  allowProductionWrites: boolean;
  dynamicTools: boolean;
  plugins: string[];
  projectDir: string;
  transport: 'stdio' | 'http';
  host: string;
  port: number;
  localOrg: boolean;
  /** How long one org HTTP request may take, in seconds (--org-timeout). */
  orgTimeout: number;
  /** HTTP: minutes a session may stay idle before it is closed (--http-idle-minutes). */
  httpIdleMinutes: number;
  auditLog?: string;
  debug: boolean;
}

export type CliCommand =
  | { kind: 'serve'; options: ServerOptions }
  | { kind: 'help'; options: ServerOptions }
  | { kind: 'version' }
  | { kind: 'list-plugins'; options: ServerOptions }
  | { kind: 'doctor'; options: ServerOptions; client?: ClientId };

/** A usage error: printed with the valid choices, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const flags = {
  orgs: { type: 'string', multiple: true },
  toolsets: { type: 'string', multiple: true },
  tools: { type: 'string', multiple: true },
  'allow-non-ga-tools': { type: 'boolean' },
  'read-only': { type: 'boolean' },
  'allow-production-writes': { type: 'boolean' },
  'dynamic-tools': { type: 'boolean' },
  plugin: { type: 'string', multiple: true },
  'project-dir': { type: 'string' },
  transport: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'local-org': { type: 'boolean' },
  'org-timeout': { type: 'string' },
  'http-idle-minutes': { type: 'string' },
  'audit-log': { type: 'string' },
  'list-plugins': { type: 'boolean' },
  client: { type: 'string' },
  debug: { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--orgs a,b --orgs c` → [a, b, c]; also tolerates spaces after commas. */
function list(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

export function parseCli(argv: readonly string[], cwd: string = process.cwd()): CliCommand {
  // `sfmcp doctor [flags]`: the same flags as a start, checked instead of served.
  const doctor = argv[0] === 'doctor';
  let parsed;
  try {
    parsed = parseArgs({
      args: doctor ? argv.slice(1) : [...argv],
      options: flags,
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run with --help to see the flags.`);
  }
  const values = parsed.values;
  if (values.version) return { kind: 'version' };

  const transport = values.transport ?? 'stdio';
  if (transport !== 'stdio' && transport !== 'http') {
    throw new UsageError(`--transport must be stdio or http, not ${JSON.stringify(transport)}`);
  }
  const port = values.port === undefined ? 3000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535`);
  const orgTimeout =
    values['org-timeout'] === undefined ? DEFAULT_ORG_TIMEOUT_SECONDS : Number(values['org-timeout']);
  if (!Number.isFinite(orgTimeout) || orgTimeout <= 0 || orgTimeout > 86_400)
    throw new UsageError('--org-timeout must be a positive number of seconds (at most 86400)');
  const httpIdleMinutes =
    values['http-idle-minutes'] === undefined ? 30 : Number(values['http-idle-minutes']);
  if (!Number.isFinite(httpIdleMinutes) || httpIdleMinutes <= 0 || httpIdleMinutes > 1440)
    throw new UsageError('--http-idle-minutes must be a positive number of minutes (at most 1440)');
  const toolsetValues = list(values.toolsets);
  const options: ServerOptions = {
    orgs: list(values.orgs),
    toolsets: toolsetValues.length === 0 || toolsetValues.includes('all') ? 'all' : toolsetValues,
    tools: list(values.tools),
    allowNonGaTools: values['allow-non-ga-tools'] ?? false,
    readOnly: values['read-only'] ?? false,
    allowProductionWrites: values['allow-production-writes'] ?? false,
    dynamicTools: values['dynamic-tools'] ?? false,
    plugins: list(values.plugin),
    projectDir: resolve(cwd, values['project-dir'] ?? '.'),
    transport,
    host: values.host ?? '127.0.0.1',
    port,
    localOrg: values['local-org'] ?? false,
    orgTimeout,
    httpIdleMinutes,
    auditLog: values['audit-log'],
    debug: values.debug ?? false,
  };
  if (options.readOnly && options.allowProductionWrites) {
    throw new UsageError('--read-only and --allow-production-writes contradict each other: choose one');
  }
  if (values.client !== undefined && !doctor)
    throw new UsageError('--client goes with sfmcp doctor: sfmcp doctor --client <client>');
  if (doctor && !values.help) {
    if (values.client !== undefined && !isClientId(values.client))
      throw new UsageError(
        `--client must be one of ${CLIENT_IDS.join(', ')}, not ${JSON.stringify(values.client)}`,
      );
    return { kind: 'doctor', options, ...(values.client ? { client: values.client as ClientId } : {}) };
  }
  if (values.help) return { kind: 'help', options };
  if (values['list-plugins']) return { kind: 'list-plugins', options };
  return { kind: 'serve', options };
}

export const USAGE = `Usage: sfmcp [flags]
       sfmcp doctor [flags] [--client <client>]   check a configuration first: orgs, project, Java, plugins

New here? Run sfmcp doctor --orgs <alias> --client claude-code|claude-desktop|cursor|vscode|windsurf|cline:
it checks that configuration and prints the snippet for your MCP client.

Org access (pinned at start):
  --orgs <list>                 DEFAULT_TARGET_ORG, DEFAULT_TARGET_DEV_HUB, ALLOW_ALL_ORGS, usernames, aliases
  --local-org                   start a local Salesforce test double and allow it as alias "local"
  --project-dir <dir>           the DX project tools work in (default: the current directory)
  --org-timeout <seconds>       how long one org request may take before it is abandoned (default 120)

Tools:
  --toolsets <list|all>         toolsets to load (default: all)
  --tools <list>                single tools to load as well
  --allow-non-ga-tools          also load preview tools
  --dynamic-tools               start with only core tools; the model enables toolsets as needed
  --plugin <package|path>       load a plugin that is not discovered automatically (repeatable)
  --list-plugins                list discovered plugins, where each came from and why it loaded or not

Trust:
  --read-only                   only tools that change nothing
  --allow-production-writes     let tools change production orgs (off by default)
  --audit-log <file>            where org-changing calls are logged (default: ~/.sfmcp/audit.jsonl)

Transport:
  --transport stdio|http        default stdio
  --host <host>                 HTTP bind address (default 127.0.0.1)
  --port <port>                 HTTP port (default 3000)
  --http-idle-minutes <n>       close an HTTP session idle this long (default 30)
                                SFMCP_HTTP_TOKEN: clients must send it as a Bearer token; required
                                when --host is not a loopback address

  --debug                       verbose logs on stderr
  -v, --version                 print the version
  -h, --help                    this help, with the installed toolsets and their tools
`;
