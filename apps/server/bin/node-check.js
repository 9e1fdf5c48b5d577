// Imported first by every sfmcp bin, before anything that needs Node 22: on an older Node the server's
// modules fail to load with an error that names a missing export, not the Node version. Plain JS with no
// imports, so it runs on any Node that has ES modules.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const program = (process.argv[1] ?? 'sfmcp').split(/[\\/]/).pop().replace(/\.js$/, '');
  process.stderr.write(
    `${program} needs Node 22.12 or newer; this is Node ${process.versions.node}. Install Node 22 LTS from https://nodejs.org (or \`nvm install 22\`), then start it again.\n`,
  );
  process.exit(1);
}
