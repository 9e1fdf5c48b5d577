// Local org paging: a WHERE + ORDER BY query over 100,000 Accounts, served 2,000 rows a page, timed from a
// separate client process; and the peak memory of the org process that holds them.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, peakRssMb } from './lib/mcp-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const VOLUME = 100_000;

function startOrg() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'packages/local-org/dist/bin.js'), '--empty', '--volume', `Account=${VOLUME}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const url = /Instance URL:\s+(\S+)/.exec(output)?.[1];
      const token = /Access token:\s+(\S+)/.exec(output)?.[1];
      if (url && token) resolve({ child, url, token });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`local org exited (${code}):\n${output}`)));
  });
}

export async function benchLocalOrg() {
  const { child, url, token } = await startOrg();
  try {
    const headers = { authorization: `Bearer ${token}`, 'sforce-query-options': 'batchSize=2000' };
    const soql =
      "SELECT Id, Name, Industry, AnnualRevenue FROM Account WHERE Industry IN ('Banking', 'Retail', 'Technology') ORDER BY AnnualRevenue DESC, Name LIMIT 40000";
    const firstStarted = performance.now();
    let page = await (
      await fetch(`${url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, { headers })
    ).json();
    const firstMs = performance.now() - firstStarted;
    const pageTimes = [];
    while (page.nextRecordsUrl && pageTimes.length < 15) {
      const started = performance.now();
      page = await (await fetch(`${url}${page.nextRecordsUrl}`, { headers })).json();
      pageTimes.push(performance.now() - started);
      if (page.records?.length !== 2000 && page.nextRecordsUrl)
        throw new Error(`unexpected page size ${page.records?.length}`);
    }
    const pageMs = median(pageTimes);
    const peakMb = peakRssMb(child.pid);
    console.log(`\nLocal org, ${VOLUME.toLocaleString('en')} Accounts, WHERE + ORDER BY, 2,000-row pages:`);
    console.log(
      `  first page (runs the query): ${firstMs.toFixed(0)} ms; next pages median ${pageMs.toFixed(1)} ms (target < 150 ms)`,
    );
    console.log(`  org process peak RSS ${peakMb?.toFixed(0) ?? 'n/a'} MB (target < 400 MB)`);
    return { firstMs, pageMs, peakMb };
  } finally {
    child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLocalOrg();
