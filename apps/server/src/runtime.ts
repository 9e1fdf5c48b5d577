import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type {
  OperationResumer,
  ToolAlias,
  Plugin,
  PluginPrompt,
  PluginResource,
  PluginResourceTemplate,
} from '@sfmcp/plugin-api';
import { type ServerOptions, UsageError } from './cli.js';
import { getUsernameTool } from './core-tools/get_username.js';
import { resumeToolOperationTool } from './core-tools/resume_tool_operation.js';
import { type PluginReport, discoverPlugins } from './discovery.js';
import { type PluginListing, listPlugin, listTool } from './listing.js';
import { type Logger, createLogger } from './logger.js';
import { OrgAccess } from './orgs/access.js';
import { type OrgRequestObserver, runWithCallSignal } from './orgs/call-scope.js';
import { Allowlist } from './orgs/allowlist.js';
import { type SfStateSnapshot, readSfState } from './orgs/sf-state.js';
import { ProjectAccess } from './project.js';
import { ResourceCatalog } from './resources.js';
import { type RegisteredTool, type Registry, buildRegistry, selectTools } from './registry.js';
import { ApiUsageWatch } from './orgs/api-usage.js';
import { PolicyEngine } from './policy/engine.js';
import { RateLimits } from './trust/rate-limits.js';
import { PolicyFileError, loadPolicy, policyPath } from './policy/load.js';
import { AuditLog } from './trust/audit-log.js';
import { ConfirmationTokens } from './trust/confirmations.js';
import { DirectoryOneTimeStore, type OneTimeStore } from './trust/one-time-store.js';
import { CursorSealer } from './trust/cursors.js';
import { SECRET_VARIABLE, ServerSecret } from './trust/secret.js';

export const SERVER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Everything a running server shares across its sessions. Built once at start; the org allowlist is pinned here. */
export interface Runtime {
  options: ServerOptions;
  version: string;
  /** The home folder whose sf state the server reads (never writes). */
  home: string;
  log: Logger;
  reports: PluginReport[];
  registry: Registry;
  /** The tools the flags select (in --dynamic-tools mode: those the model may enable). */
  selected: RegisteredTool[];
  coreTools: RegisteredTool[];
  sfState: SfStateSnapshot;
  allowlist: Allowlist;
  orgAccess: OrgAccess;
  projectAccess: ProjectAccess;
  tokens: ConfirmationTokens;
  cursors: CursorSealer;
  audit?: AuditLog;
  /** The policy file's rules per org (none: only the flags and the default limits). */
  policy: PolicyEngine;
  /** Each org's daily API use, from its answers' Sforce-Limit-Info header. */
  apiUsage: ApiUsageWatch;
  /** Calls per org and per tool, in this process. */
  rateLimits: RateLimits;
  /** Runs a tool handler with its call's signal in scope, so every org request it makes can be cancelled. */
  callScope<T>(
    signal: AbortSignal,
    run: () => Promise<T>,
    observers?: readonly OrgRequestObserver[],
  ): Promise<T>;
  prompts: readonly PluginPrompt[];
  resources: readonly PluginResource[];
  resourceTemplates: readonly PluginResourceTemplate[];
  /** The resources and templates by URI, and the watches behind subscriptions: shared by every session. */
  resourceCatalog: ResourceCatalog;
  /** resume_tool_operation's handlers, from the selected toolsets. */
  resumers: readonly OperationResumer[];
  /** Unlisted names of the selected toolsets' tools (@salesforce/mcp's), by name. */
  aliases: ReadonlyMap<string, ToolAlias>;
  instructions: string;
  /** Stops what the runtime started (the local org). */
  close(): Promise<void>;
}

/** The server cannot start as configured (an unwritable audit log, a bad secret): one line, exit code 1. */
export class StartupError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export interface RuntimeInputs {
  /** Folders whose node_modules are searched for plugins. */
  discoveryRoots?: string[];
  /** Plugins given directly (tests, embedding), in addition to discovered ones. */
  plugins?: { plugin: Plugin; source: string }[];
  /** Turn off node_modules discovery (tests that want exactly their plugins). */
  discover?: boolean;
  home?: string;
  log?: Logger;
  /** Only describing what is installed (--help, --list-plugins): no org access is needed. */
  describeOnly?: boolean;
  /** Read the policy even though describing (sfmcp doctor, sfmcp policy check). */
  withPolicy?: boolean;
  /** Starts extra things the runtime owns (the local org) before the allowlist is pinned. */
  onAllowlist?: (allowlist: Allowlist, runtime: { log: Logger }) => Promise<(() => Promise<void>) | void>;
  /** The secret cursors and tokens are sealed with (default: SFMCP_SECRET from the environment). */
  secret?: string;
}

export async function createRuntime(options: ServerOptions, inputs: RuntimeInputs = {}): Promise<Runtime> {
  const log = inputs.log ?? createLogger({ debug: options.debug });
  const home = inputs.home ?? homedir();
  const reports =
    inputs.discover === false && options.plugins.length === 0
      ? []
      : await discoverPlugins({
          roots:
            inputs.discover === false
              ? []
              : [options.projectDir, import.meta.dirname, ...(inputs.discoveryRoots ?? [])],
          explicit: options.plugins,
          projectDir: options.projectDir,
        });
  for (const report of reports) {
    if (report.status === 'failed') log.error(`plugin ${report.packageName} not loaded: ${report.reason}`);
    else log.debug(`plugin ${report.packageName}: ${report.status} (${report.reason})`);
  }
  const loaded = [
    ...(inputs.plugins ?? []).map(({ plugin, source }) => ({ plugin: listPlugin(plugin), source })),
    ...reports
      .filter((report) => report.status === 'loaded')
      .map((report) => ({ plugin: report.plugin as PluginListing, source: report.packageName })),
  ];
  const registry = buildRegistry(loaded);
  for (const problem of registry.problems) log.error(problem);
  let selected = selectTools(registry, options);

  const sfState = readSfState(options.projectDir, home);
  const allowlist = new Allowlist(options.orgs, sfState, home);
  for (const warning of allowlist.warnings) log.warn(warning);
  let stopExtras: (() => Promise<void>) | void = undefined;
  if (inputs.onAllowlist) stopExtras = await inputs.onAllowlist(allowlist, { log });

  // A team server with OAuth: each call runs as the user who signed in, in that user's own org, and no
  // other org is reachable; orgs of this machine's sf CLI are not this server's to hand out.
  if (options.oauthLoginUrl && (options.orgs.length || options.localOrg)) {
    if (stopExtras) await stopExtras();
    throw new UsageError(
      '--oauth-login-url runs every call as the signed-in user in their own org: leave out --orgs and --local-org.',
    );
  }
  const needingOrgs = selected.filter((entry) => entry.tool.needsOrg);
  const noOrgAccess =
    !inputs.describeOnly && !options.oauthLoginUrl && allowlist.isEmpty && options.orgs.length === 0;
  // Toolsets the user chose that work mostly without an org (lwc-experts) start without --orgs: their few
  // org tools are left out, said on stderr. The default (every toolset) still asks for --orgs.
  const chosen = options.toolsets !== 'all';
  if (noOrgAccess && needingOrgs.length && chosen && needingOrgs.length < selected.length) {
    log.warn(
      `no --orgs: left out the tools that need an org (${needingOrgs.map((entry) => entry.tool.name).join(', ')}); pass --orgs to use them`,
    );
    selected = selected.filter((entry) => !entry.tool.needsOrg);
  } else if (noOrgAccess && needingOrgs.length) {
    const toolsets = [...new Set(needingOrgs.map((entry) => entry.toolset))];
    throw new UsageError(
      `The toolsets ${toolsets.join(', ')} need org access: pass --orgs (DEFAULT_TARGET_ORG, DEFAULT_TARGET_DEV_HUB, ALLOW_ALL_ORGS, usernames or aliases) or --local-org, or choose toolsets that need no org with --toolsets.`,
    );
  }

  let secret: ServerSecret;
  try {
    secret = new ServerSecret(inputs.secret);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  // Spent confirmation tokens: in memory, or with --confirmation-store in a folder the instances share.
  let confirmationStore: OneTimeStore | undefined;
  if (options.confirmationStore && !inputs.describeOnly) {
    try {
      confirmationStore = new DirectoryOneTimeStore(options.confirmationStore);
    } catch (error) {
      if (stopExtras) await stopExtras();
      throw new StartupError((error as Error).message);
    }
    if (!secret.shared)
      log.warn(
        `--confirmation-store is set but ${SECRET_VARIABLE} is not: this instance seals tokens with a key of its own, so instances will not verify each other's tokens (or cursors).`,
      );
  }
  const audit = new AuditLog(options.auditLog ?? join(home, '.sfmcp', 'audit.jsonl'));
  // The audit log fails closed: a server that could not record what it changes does not start.
  if (!inputs.describeOnly) {
    try {
      audit.checkWritable();
    } catch (error) {
      if (stopExtras) await stopExtras();
      throw new StartupError((error as Error).message);
    }
  }

  let policy = new PolicyEngine(undefined);
  const policyFile = policyPath(options.policy, options.projectDir);
  if (policyFile && (!inputs.describeOnly || inputs.withPolicy)) {
    try {
      policy = new PolicyEngine(await loadPolicy(policyFile));
    } catch (error) {
      if (stopExtras) await stopExtras();
      if (error instanceof PolicyFileError) throw new StartupError(error.message);
      throw error;
    }
    const toolNames = new Set(
      registry.toolsets.size
        ? [...registry.toolsets.values()].flatMap(({ plugin }) => plugin.tools.map((tool) => tool.name))
        : [],
    );
    for (const problem of policy.unknownNames(new Set(registry.toolsets.keys()), toolNames))
      log.warn(`policy ${policyFile}: ${problem}`);
    log.info(`policy: ${policyFile}`);
  }

  const apiUsage = new ApiUsageWatch();
  const selectedPlugins = loaded
    .map(({ plugin }) => plugin)
    .filter((plugin) => selected.some((entry) => entry.toolset === plugin.toolset));
  const resources = selectedPlugins.flatMap((plugin) => plugin.resources);
  const resourceTemplates = selectedPlugins.flatMap((plugin) => plugin.resourceTemplates);
  const runtime: Runtime = {
    options,
    version: SERVER_VERSION,
    home,
    log,
    reports,
    registry,
    selected,
    sfState,
    allowlist,
    orgAccess: new OrgAccess(allowlist, log.child('orgs'), {
      requestTimeoutMs: options.orgTimeout * 1000,
      observers: [apiUsage],
    }),
    projectAccess: new ProjectAccess(options.projectDir),
    tokens: new ConfirmationTokens(secret, confirmationStore ? { store: confirmationStore } : {}),
    cursors: new CursorSealer(secret),
    audit,
    policy,
    apiUsage,
    rateLimits: new RateLimits(),
    callScope: runWithCallSignal,
    prompts: selectedPlugins.flatMap((plugin) => plugin.prompts),
    resources,
    resourceTemplates,
    resourceCatalog: new ResourceCatalog(resources, resourceTemplates),
    resumers: selectedPlugins.flatMap((plugin) => plugin.resumers),
    aliases: new Map(
      selectedPlugins.flatMap((plugin) => plugin.aliases).map((alias) => [alias.name, alias] as const),
    ),
    instructions: instructionsFor(options),
    close: async () => {
      if (stopExtras) await stopExtras();
    },
    // The core tools read the runtime itself: filled in just below.
    coreTools: [],
  };
  runtime.coreTools = [
    getUsernameTool(runtime),
    resumeToolOperationTool(runtime, { readOnly: options.readOnly }),
  ].map((tool) => ({
    tool: listTool(tool),
    toolset: 'core',
    source: '@sfmcp/server',
  }));
  return runtime;
}

function instructionsFor(options: ServerOptions): string {
  const lines = [
    'sfmcp works on Salesforce orgs fixed when the server started; get_username tells which org to use.',
    'Tools that change an org may return a preview with a confirmationToken: show the preview to the user and call again with the token only if they approve.',
  ];
  if (options.oauthLoginUrl)
    lines.push(
      "Each user works in their own Salesforce org as themselves: the org's field-level security and sharing decide what tools see.",
    );
  if (options.localOrg)
    lines.push(
      'The org "local" is the sfmcp local org: a Salesforce test double on this machine, not Salesforce. Its Apex results come from its seed, never from running Apex: never tell the user their tests pass because it says so.',
    );
  if (options.readOnly) lines.push('This server is read-only.');
  if (!options.allowProductionWrites) lines.push('Changes to production orgs are refused.');
  if (options.dynamicTools)
    lines.push('Call list_tools and enable_tools to enable the toolsets a task needs.');
  return lines.join(' ');
}
