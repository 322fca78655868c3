// Runs an example of examples/ (greeter by default) as a Node program against a
// parley server: bundled with esbuild, the SDK from its sources. Environment:
// PARLEY_URL (default http://localhost:3001), PARLEY_ROOM (default lobby), PARLEY_NAME (default Greeter).
// Usage: node scripts/run-example.js [name]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');

const pkg = path.join(__dirname, '..');

/** Bundles examples/<name>.mts into `outfile` (an ES module with its dependencies inside). */
async function bundleExample(name, outfile) {
  await esbuild.build({
    entryPoints: [path.join(pkg, 'examples', `${name}.mts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    alias: { '@parley/client/node': path.join(pkg, 'src', 'node.ts'), '@parley/client': path.join(pkg, 'src', 'index.ts') },
    // socket.io-client's Node transport is CommonJS inside: give the module a require.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
}

module.exports = { bundleExample };

if (require.main === module) {
  const name = process.argv[2] ?? 'greeter';
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-example-')), `${name}.mjs`);
  bundleExample(name, outfile).then(
    () => {
      // The example keeps its files (a token) in the folder it was started from.
      const { status } = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
      process.exitCode = status ?? 1;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
