import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ToolError, cancelled } from '@sfmcp/plugin-api';
import type { SkippedEngine } from './analyzer.js';

export interface WorkerRequest {
  /** `run`: analyze; `rules`: describe every rule of every engine that can run. */
  mode: 'run' | 'rules';
  root: string;
  configPath?: string;
  selectors: string[];
  /** Absolute paths inside `root`; empty: the whole project. */
  targets: string[];
}

export type WorkerMessage =
  | { type: 'skipped'; skipped: SkippedEngine[] }
  | { type: 'selecting'; percent: number }
  | { type: 'selected'; rules: number; engines: string[]; targetedFiles: number }
  | { type: 'progress'; engine: string; percent: number }
  | { type: 'done'; json: string; sarif: string }
  | { type: 'rules'; rules: RuleInfo[] }
  | { type: 'error'; message: string };

/** A rule as list_code_analyzer_rules and describe_code_analyzer_rule show it. */
export interface RuleInfo {
  name: string;
  engine: string;
  /** 1 (Critical) to 5 (Info). */
  severity: number;
  tags: string[];
  description: string;
  resources: string[];
}

export interface RunOutcome {
  skipped: SkippedEngine[];
  rules: number;
  engines: string[];
  targetedFiles: number;
  /** Code Analyzer's JSON and SARIF output; absent when no rule was selected. */
  json?: string;
  sarif?: string;
  /** Mode `rules`: every rule. */
  ruleList?: RuleInfo[];
}

export interface RunHooks {
  signal: AbortSignal;
  /** Overall progress, 0–100, with what is running. */
  onProgress(percent: number, message: string): void;
}

const WORKER = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './run-worker.ts' : './run-worker.js', import.meta.url),
);

/**
 * Runs Code Analyzer in a child process of its own (its own process group): progress comes back over IPC, and
 * cancelling kills the group, so the engines' Java and Python processes stop too. The engines never load into
 * the server's process.
 */
export function runAnalysis(request: WorkerRequest, hooks: RunHooks): Promise<RunOutcome> {
  const { signal } = hooks;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<RunOutcome>((resolve, reject) => {
    const child = fork(WORKER, [], {
      cwd: request.root,
      detached: true,
      execArgv: ['--no-warnings'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stdout?.resume();
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4_000);
    });
    const outcome: RunOutcome = { skipped: [], rules: 0, engines: [], targetedFiles: 0 };
    const progress = new Map<string, number>();
    let failure: string | undefined;
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      action();
    };
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const onAbort = () => {
      killGroup();
      settle(() => reject(cancelled()));
    };
    signal.addEventListener('abort', onAbort, { once: true });

    child.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'skipped':
          outcome.skipped = message.skipped;
          hooks.onProgress(5, 'Engines ready; selecting rules');
          break;
        case 'selecting':
          hooks.onProgress(5 + Math.round(message.percent / 20), 'Selecting rules');
          break;
        case 'selected':
          outcome.rules = message.rules;
          outcome.engines = message.engines;
          outcome.targetedFiles = message.targetedFiles;
          for (const engine of message.engines) progress.set(engine, 0);
          hooks.onProgress(
            10,
            `Running ${message.rules} rules of ${message.engines.join(', ')} on ${message.targetedFiles} files`,
          );
          break;
        case 'progress': {
          progress.set(message.engine, message.percent);
          const values = [...progress.values()];
          const overall = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
          const running = [...progress].filter(([, value]) => value < 100).map(([engine]) => engine);
          hooks.onProgress(
            10 + Math.floor(overall * 0.9),
            running.length ? `Running ${running.join(', ')}` : 'Collecting results',
          );
          break;
        }
        case 'done':
          outcome.json = message.json;
          outcome.sarif = message.sarif;
          break;
        case 'rules':
          outcome.ruleList = message.rules;
          break;
        case 'error':
          failure = message.message;
          break;
      }
    });
    child.on('error', (error) =>
      settle(() => reject(new ToolError(`Code Analyzer could not start: ${error.message}`))),
    );
    child.on('exit', (code, exitSignal) => {
      if (code === 0) return settle(() => resolve(outcome));
      const why = failure ?? (stderr.trim().split('\n').slice(-3).join(' ') || `exit ${code ?? exitSignal}`);
      settle(() =>
        reject(
          new ToolError(
            `Code Analyzer failed: ${why}`,
            'Check the selector, the targets and code-analyzer.yml.',
            {
              kind: 'failed',
            },
          ),
        ),
      );
    });
    child.send(request);
  });
}
