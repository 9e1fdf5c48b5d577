/**
 * @salesforce/core, loaded on first use (start-up never pays for it), with its log file off: its
 * Logger otherwise writes `~/.sf/sf-<date>.log`, and sfmcp never writes the user's sf state.
 * (With the file off it logs to memory; with DEBUG set and the file on it would log to stdout,
 * which carries the MCP protocol.)
 */
export function keepCoreOffDisk(): void {
  process.env.SF_DISABLE_LOG_FILE = 'true';
}

export type Core = typeof import('@salesforce/core');

export async function loadCore(): Promise<Core> {
  keepCoreOffDisk();
  return import('@salesforce/core');
}
