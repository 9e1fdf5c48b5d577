import { basename } from 'node:path';
import { type CliCommand, USAGE, UsageError, parseCli } from './cli.js';
import { formatPluginReports } from './discovery.js';
import { startLocalOrgForServer } from './local-org.js';
import { type RuntimeInputs, SERVER_VERSION, StartupError, createRuntime } from './runtime.js';
import { serveStdio } from './transports/stdio.js';

export interface RunOptions extends Pick<RuntimeInputs, 'discoveryRoots'> {
  argv?: readonly string[];
  /** Shown by --version, e.g. "sfmcp 1.2.0 (server 0.4.0)". */
  versionLabel?: string;
}

function describeToolsets(runtime: Awaited<ReturnType<typeof createRuntime>>): string {
  const lines = ['Installed toolsets:'];
  for (const [name, { plugin, source }] of runtime.registry.toolsets) {
    lines.push(`  ${name} (${source}) — ${plugin.description}`);
    for (const tool of plugin.tools)
      lines.push(
        `      ${tool.name}${tool.release === 'preview' ? ' [preview]' : ''}${tool.annotations.readOnlyHint ? '' : ' [writes]'}`,
      );
  }
  if (runtime.registry.toolsets.size === 0)
    lines.push('  (none: install @sfmcp/* toolset packages, or use the sfmcp package)');
  lines.push('Always on: get_username, resume_tool_operation');
  return lines.join('\n');
}

/** The name the server was started by (sfmcp, sfmcp-server), for its help. */
function programName(): string {
  return basename(process.argv[1] ?? 'sfmcp').replace(/\.(c|m)?js$/, '') || 'sfmcp';
}

function usageFor(name: string): string {
  return USAGE.replace(/^Usage: sfmcp /, `Usage: ${name} `);
}

/** Runs the server as its command line says; returns the process exit code. */
export async function runCli(run: RunOptions = {}): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCli(run.argv ?? process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`sfmcp: ${(error as Error).message}\n`);
    return 2;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${run.versionLabel ?? `@sfmcp/server ${SERVER_VERSION}`}\n`);
    return 0;
  }
  const options = command.options;
  if (command.kind === 'audit') {
    // Reads the audit file only: no plugins, no orgs.
    const { runAuditReport } = await import('./trust/audit-report.js');
    const report = await runAuditReport(options, command.filters);
    (report.exitCode === 0 ? process.stdout : process.stderr).write(`${report.text}\n`);
    return report.exitCode;
  }
  // --help and --list-plugins describe what is installed; they need no orgs. The doctor keeps the orgs (and
  // the local org) to call them, but starts nothing that serves.
  const doctor = command.kind === 'doctor' || command.kind === 'policy-check';
  const describing = command.kind !== 'serve';
  let runtime;
  try {
    runtime = await createRuntime(
      describing && !doctor ? { ...options, orgs: [], localOrg: false, toolsets: 'all', tools: [] } : options,
      {
        discoveryRoots: run.discoveryRoots,
        describeOnly: describing,
        withPolicy: doctor,
        // Without @sfmcp/local-org installed, --local-org is a one-line usage error (exit code 2).
        onAllowlist:
          (!describing || doctor) && options.localOrg
            ? (allowlist, context) =>
                startLocalOrgForServer(allowlist, context, [
                  ...(run.discoveryRoots ?? []),
                  options.projectDir,
                ])
            : undefined,
      },
    );
  } catch (error) {
    if (error instanceof UsageError || error instanceof StartupError) {
      process.stderr.write(`sfmcp: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${usageFor(programName())}\n${describeToolsets(runtime)}\n`);
    return 0;
  }
  if (command.kind === 'doctor') {
    try {
      const { runDoctor } = await import('./doctor.js');
      const report = await runDoctor(runtime, command.client);
      process.stdout.write(`${report.text}\n`);
      return report.exitCode;
    } finally {
      await runtime.close();
    }
  }
  if (command.kind === 'policy-check') {
    try {
      const { runPolicyCheck } = await import('./policy/check.js');
      const report = await runPolicyCheck(runtime);
      process.stdout.write(`${report.text}\n`);
      return report.exitCode;
    } finally {
      await runtime.close();
    }
  }
  if (command.kind === 'list-plugins') {
    process.stdout.write(`${formatPluginReports(runtime.reports)}\n`);
    return 0;
  }
  try {
    if (options.transport === 'http') {
      // Loaded only when asked for: stdio users never pay for the HTTP stack.
      const { HttpStartError, serveHttp } = await import('./transports/http.js');
      let handle;
      try {
        handle = await serveHttp(runtime);
      } catch (error) {
        if (!(error instanceof HttpStartError)) throw error;
        process.stderr.write(`sfmcp: ${error.message}\n`);
        return 1;
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await handle.close();
    } else {
      await serveStdio(runtime);
    }
  } finally {
    await runtime.close();
  }
  return 0;
}
