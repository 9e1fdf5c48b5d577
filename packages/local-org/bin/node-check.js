// Imported first by the sfmcp-local-org bin, before anything that needs Node 22 (the same check as
// @sfmcp/server's, which this package does not depend on). Plain JS with no imports: it runs on any Node
// that has ES modules.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const program = (process.argv[1] ?? 'sfmcp').split(/[\\/]/).pop().replace(/\.js$/, '');
  process.stderr.write(
    `${program} needs Node 22.12 or newer; this is Node ${process.versions.node}. Install Node 22 LTS from https://nodejs.org (or \`nvm install 22\`), then start it again.\n`,
  );
  process.exit(1);
}
