/**
 * One Code Analyzer run, in its own process (started by run.ts): cancelling the run kills this process's group,
 * the engines' Java and Python processes with it. Speaks only over the IPC channel; stdout is not the protocol.
 */
import type { EngineRunProgressEvent, RuleSelectionProgressEvent } from '@salesforce/code-analyzer-core';
import type { WorkerMessage, WorkerRequest } from './run.js';

const send = (message: WorkerMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });

// The server went away: stop, and take the engines' processes along.
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1);
  }
});

process.once('message', (request: WorkerRequest) => {
  run(request).then(
    () => process.exit(0),
    async (error: unknown) => {
      await send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
});

async function run(request: WorkerRequest): Promise<void> {
  // Beside this file: analyzer.js once built, analyzer.ts when the tests run the sources.
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const { createAnalyzer } = (await import(
    new URL(`./analyzer${extension}`, import.meta.url).href
  )) as typeof import('./analyzer.js');
  const core = await import('@salesforce/code-analyzer-core');

  const { analyzer, skipped } = await createAnalyzer(request.root, {
    ...(request.configPath ? { configPath: request.configPath } : {}),
  });
  await send({ type: 'skipped', skipped });
  if (request.mode === 'rules') {
    // Every rule, DevPreviewApexGuru's opt-in ones too ('all' leaves them out).
    const selection = await analyzer.selectRules(['all', 'DevPreviewApexGuru']);
    const rules = selection.getEngineNames().flatMap((engine) =>
      selection.getRulesFor(engine).map((rule) => ({
        name: rule.getName(),
        engine,
        severity: rule.getSeverityLevel().valueOf(),
        tags: rule.getTags(),
        description: rule.getDescription(),
        resources: rule.getResourceUrls(),
      })),
    );
    await send({ type: 'rules', rules });
    return;
  }
  analyzer.onEvent<RuleSelectionProgressEvent>(core.EventType.RuleSelectionProgressEvent, (event) => {
    void send({ type: 'selecting', percent: event.percentComplete });
  });
  analyzer.onEvent<EngineRunProgressEvent>(core.EventType.EngineRunProgressEvent, (event) => {
    void send({ type: 'progress', engine: event.engineName, percent: event.percentComplete });
  });
  const workspace = await analyzer.createWorkspace(
    [request.root],
    request.targets.length > 0 ? request.targets : undefined,
  );
  const targeted = (await workspace.getTargetedFiles()).length;
  const selection = await analyzer.selectRules(request.selectors, { workspace });
  const engines = selection.getEngineNames();
  await send({ type: 'selected', rules: selection.getCount(), engines, targetedFiles: targeted });
  if (selection.getCount() === 0) return;
  const results = await analyzer.run(selection, { workspace });
  await send({
    type: 'done',
    json: results.toFormattedOutput(core.OutputFormat.JSON),
    sarif: results.toFormattedOutput(core.OutputFormat.SARIF),
  });
}
