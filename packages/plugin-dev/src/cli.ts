import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writePluginManifest } from './manifest.js';

export const USAGE = `Usage: sfmcp-plugin-dev manifest [<plugin module> <manifest file>]

  manifest   Imports the built plugin and writes the manifest the sfmcp server lists its tools from
             (run it in your build, after compiling). Without arguments it uses the "sfmcp" field of
             ./package.json: { "plugin": "./dist/index.js", "manifest": "./dist/sfmcp-manifest.json" }.`;

class UsageError extends Error {}

function fromPackageJson(dir: string): [string, string] {
  let sfmcp: { plugin?: unknown; manifest?: unknown } | undefined;
  try {
    sfmcp = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { sfmcp?: typeof sfmcp }).sfmcp;
  } catch (error) {
    throw new UsageError(`cannot read ${join(dir, 'package.json')}: ${(error as Error).message}`);
  }
  if (typeof sfmcp?.plugin !== 'string' || typeof sfmcp?.manifest !== 'string')
    throw new UsageError(
      `${join(dir, 'package.json')} needs "sfmcp": { "plugin": "./dist/index.js", "manifest": "./dist/sfmcp-manifest.json" }, or pass both paths`,
    );
  return [join(dir, sfmcp.plugin), join(dir, sfmcp.manifest)];
}

/** Runs the command line; returns the exit code (0 done, 1 failed, 2 usage). */
export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command !== 'manifest') throw new UsageError(command ? `unknown command: ${command}` : 'no command');
    if (rest.length !== 0 && rest.length !== 2)
      throw new UsageError('manifest takes no arguments, or a plugin module and a manifest file');
    const [pluginModule, outFile] =
      rest.length === 2 ? [resolve(cwd, rest[0]!), resolve(cwd, rest[1]!)] : fromPackageJson(cwd);
    const manifest = await writePluginManifest(pluginModule, outFile);
    process.stdout.write(
      `${manifest.toolset}: manifest with ${manifest.tools.length} tool${manifest.tools.length === 1 ? '' : 's'} written to ${outFile}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`sfmcp-plugin-dev: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`sfmcp-plugin-dev: ${(error as Error).message}\n`);
    return 1;
  }
}
