// Spawns an MCP server over stdio and measures it from outside: time to a ready tools/list, peak RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Peak resident set size of a live process in MB (Linux: VmHWM), or undefined elsewhere. */
export function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `command args`, sends initialize, initialized and tools/list as a client would, and resolves
 * once tools/list has answered and the process has then been killed and is gone: { ms, peakMb, tools, bytes }.
 * (A server that has not finished exiting, freeing hundreds of MB, would slow whatever is measured next.)
 */
export function measureStartup(command, args, { env, cwd, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${timeoutMs} ms\n${stderr.slice(-2000)}`)),
      timeoutMs,
    );
    let exited = false;
    let done = false;
    const finish = (error, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error || exited) {
        child.kill('SIGKILL');
        return error ? reject(error) : resolve(value);
      }
      child.once('exit', () => resolve(value));
      child.kill('SIGKILL');
    };
    const send = (message) => child.stdin.write(JSON.stringify(message) + '\n');
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      exited = true;
      finish(new Error(`exited with ${code} before answering\n${stderr.slice(-2000)}`));
    });
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let message;
        try {
          message = JSON.parse(line);
        } catch {
          continue;
        }
        if (message.id === 1) {
          send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
        } else if (message.id === 2) {
          const ms = performance.now() - started;
          const peakMb = peakRssMb(child.pid);
          const tools = message.result?.tools ?? [];
          finish(undefined, { ms, peakMb, tools, bytes: Buffer.byteLength(JSON.stringify(tools)) });
        }
      }
    });
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'sfmcp-bench', version: '0' },
      },
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Times `ours` against `theirs`: `warmUp` pairs first, then `runs` pairs, alternating which goes first (the
 * first of a pair pays more, whichever it is) so both see the same state of the machine. Each returns its ms.
 */
export async function pairedRuns(ours, theirs, { runs, warmUp }) {
  for (let run = 0; run < warmUp; run++) {
    await ours();
    await theirs();
  }
  const timings = { ours: [], theirs: [] };
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      timings.ours.push(await ours());
      timings.theirs.push(await theirs());
    } else {
      timings.theirs.push(await theirs());
      timings.ours.push(await ours());
    }
  }
  return timings;
}
