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
  /** The policy file (--policy); else `sfmcp.policy.json` in the project when it exists. */
  policy?: string;
  /** HTTP: serve in the SDK's stateless mode, so any instance behind a load balancer answers any request. */
  httpStateless: boolean;
  /** A folder shared by the instances, where confirmation tokens are marked spent (default: in memory). */
  confirmationStore?: string;
  /** HTTP: act as an OAuth-protected resource server; users log in to this Salesforce login URL. */
  oauthLoginUrl?: string;
  /** The connected app's (or external client app's) consumer key clients log in with. */
  oauthClientId?: string;
  /** The URL clients reach the server at (behind a proxy or load balancer), for the OAuth metadata. */
  publicUrl?: string;
  debug: boolean;
}

/** Filters of `sfmcp audit`. */
export interface AuditFilters {
  org?: string;
  tool?: string;
  outcome?: string;
  /** ISO time or a span back from now: 30m, 2h, 7d. */
  since?: string;
  until?: string;
  json: boolean;
}

export type CliCommand =
  | { kind: 'serve'; options: ServerOptions }
  | { kind: 'help'; options: ServerOptions }
  | { kind: 'version' }
  | { kind: 'list-plugins'; options: ServerOptions }
  | { kind: 'doctor'; options: ServerOptions; client?: ClientId }
  | { kind: 'audit'; options: ServerOptions; filters: AuditFilters }
  | { kind: 'policy-check'; options: ServerOptions };

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
  policy: { type: 'string' },
  'http-stateless': { type: 'boolean' },
  'confirmation-store': { type: 'string' },
  'oauth-login-url': { type: 'string' },
  'oauth-client-id': { type: 'string' },
  'public-url': { type: 'string' },
  org: { type: 'string' },
  tool: { type: 'string' },
  outcome: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  json: { type: 'boolean' },
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

/** The environment variable that may hold the OAuth client id (--oauth-client-id). */
export const OAUTH_CLIENT_ID_VARIABLE = 'SFMCP_OAUTH_CLIENT_ID';

function httpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be a URL (https://…), not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`${flag} must be an https:// URL, not ${JSON.stringify(value)}`);
  return url.href.replace(/\/$/, '');
}

export function parseCli(argv: readonly string[], cwd: string = process.cwd()): CliCommand {
  // `sfmcp doctor [flags]`: the same flags as a start, checked instead of served. `sfmcp policy check` and
  // `sfmcp audit` likewise read the flags a start would be given.
  const doctor = argv[0] === 'doctor';
  const audit = argv[0] === 'audit';
  const policyCheck = argv[0] === 'policy';
  if (policyCheck && argv[1] !== 'check')
    throw new UsageError('sfmcp policy takes one command: sfmcp policy check [--policy <file>] [flags]');
  let parsed;
  try {
    parsed = parseArgs({
      args: doctor || audit ? argv.slice(1) : policyCheck ? argv.slice(2) : [...argv],
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
    ...(values.policy !== undefined ? { policy: resolve(cwd, values.policy) } : {}),
    httpStateless: values['http-stateless'] ?? false,
    ...(values['confirmation-store'] !== undefined
      ? { confirmationStore: resolve(cwd, values['confirmation-store']) }
      : {}),
    ...(values['oauth-login-url'] !== undefined
      ? { oauthLoginUrl: httpUrl('--oauth-login-url', values['oauth-login-url']) }
      : {}),
    ...((values['oauth-client-id'] ?? process.env[OAUTH_CLIENT_ID_VARIABLE])
      ? { oauthClientId: values['oauth-client-id'] ?? process.env[OAUTH_CLIENT_ID_VARIABLE] }
      : {}),
    ...(values['public-url'] !== undefined
      ? { publicUrl: httpUrl('--public-url', values['public-url']) }
      : {}),
    debug: values.debug ?? false,
  };
  if (options.oauthLoginUrl && transport !== 'http')
    throw new UsageError('--oauth-login-url goes with --transport http: OAuth protects the HTTP server');
  const auditFilters = ['org', 'tool', 'outcome', 'since', 'until', 'json'] as const;
  const stray = auditFilters.find((name) => values[name] !== undefined);
  if (stray && !audit) throw new UsageError(`--${stray} goes with sfmcp audit: sfmcp audit --${stray} …`);
  if (audit && !values.help) {
    return {
      kind: 'audit',
      options,
      filters: {
        ...(values.org !== undefined ? { org: values.org } : {}),
        ...(values.tool !== undefined ? { tool: values.tool } : {}),
        ...(values.outcome !== undefined ? { outcome: values.outcome } : {}),
        ...(values.since !== undefined ? { since: values.since } : {}),
        ...(values.until !== undefined ? { until: values.until } : {}),
        json: values.json ?? false,
      },
    };
  }
  if (policyCheck && !values.help) return { kind: 'policy-check', options };
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
       sfmcp policy check [--policy <file>] [flags]   print what the policy allows on each allowed org
       sfmcp audit [--audit-log <file>] [--org o] [--tool t] [--outcome o] [--since 2h|<time>] [--until <time>] [--json]

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
  --audit-log <file>            where calls that reach an org are logged (default: ~/.sfmcp/audit.jsonl)
  --policy <file>               per-org policy (default: sfmcp.policy.json in the project, if present)

Transport:
  --transport stdio|http        default stdio
  --host <host>                 HTTP bind address (default 127.0.0.1)
  --port <port>                 HTTP port (default 3000)
  --http-idle-minutes <n>       close an HTTP session idle this long (default 30)
  --http-stateless              no HTTP sessions: any instance behind a load balancer answers any request
  --confirmation-store <dir>    a folder the instances share, where used confirmation tokens are recorded
                                SFMCP_SECRET: the same secret on every instance (cursors, confirmation tokens)
  --oauth-login-url <url>       per-user OAuth: users log in to this Salesforce (https://login.salesforce.com)
  --oauth-client-id <id>        the connected app's consumer key (or SFMCP_OAUTH_CLIENT_ID)
  --public-url <url>            the server's URL as clients reach it (behind a proxy)
                                SFMCP_HTTP_TOKEN: clients must send it as a Bearer token; required
                                when --host is not a loopback address

  --debug                       verbose logs on stderr
  -v, --version                 print the version
  -h, --help                    this help, with the installed toolsets and their tools
`;
