#!/usr/bin/env node
// Run by a toolset's build, after tsc: writes the manifest its package.json names ("sfmcp": { "manifest" }),
// so the server lists the toolset's tools without importing it at start-up.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(process.argv[2] ?? '.');
const { sfmcp } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
if (!sfmcp?.plugin || !sfmcp?.manifest)
  throw new Error(`${packageDir}/package.json needs "sfmcp": { "plugin", "manifest" }`);
const server = fileURLToPath(new URL('../apps/server/dist/index.js', import.meta.url));
const { writePluginManifest } = await import(server);
const manifest = await writePluginManifest(join(packageDir, sfmcp.plugin), join(packageDir, sfmcp.manifest));
console.log(`${manifest.toolset}: manifest with ${manifest.tools.length} tools`);
