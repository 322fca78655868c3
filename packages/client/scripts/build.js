// Builds @parley/client into dist/: ESM (.mjs) and CommonJS (.cjs) bundles of
// each entry (index, node) with esbuild, dependencies left as imports, and the
// type declarations with tsc. The protocol's declarations (../../src/protocol,
// types only) are shipped in dist/protocol/, and dist/wire.d.ts points there,
// so a consumer outside this repository gets complete types.
// Usage: node scripts/build.js [out-dir]   (default: dist/)
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const esbuild = require('esbuild');

const pkg = path.join(__dirname, '..');
const root = path.join(pkg, '..', '..');
const dist = process.argv[2] ? path.resolve(process.argv[2]) : path.join(pkg, 'dist');
const staging = path.join(dist, '.types');

/** The one place the sources name the protocol; rewritten to the shipped copy. */
const PROTOCOL_IMPORT = "'../../../src/protocol/index'";

async function bundles() {
  const common = {
    absWorkingDir: pkg,
    entryPoints: { index: 'src/index.ts', node: 'src/node.ts' },
    outdir: dist,
    bundle: true,
    packages: 'external',
    platform: 'neutral',
    target: 'es2020',
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
  };
  const results = await Promise.all([
    esbuild.build({ ...common, format: 'esm', outExtension: { '.js': '.mjs' } }),
    esbuild.build({ ...common, format: 'cjs', outExtension: { '.js': '.cjs' } }),
  ]);
  // Types only may come from the protocol: the bundles carry no server code.
  for (const result of results) {
    const outside = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('src/'));
    if (outside.length > 0) throw new Error(`the SDK bundles code from outside packages/client/src: ${outside.join(', ')}`);
  }
}

function copyTree(from, to, map = (text) => text) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target, map);
    else fs.writeFileSync(target, map(fs.readFileSync(source, 'utf8')));
  }
}

function declarations() {
  fs.rmSync(staging, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(pkg, 'tsconfig.build.json'), '--outDir', staging], { stdio: 'inherit', cwd: root });
  copyTree(path.join(staging, 'packages', 'client', 'src'), dist, (text) => text.replace(PROTOCOL_IMPORT, "'./protocol/index'"));
  copyTree(path.join(staging, 'src', 'protocol'), path.join(dist, 'protocol'));
  fs.rmSync(staging, { recursive: true, force: true });
  const wire = fs.readFileSync(path.join(dist, 'wire.d.ts'), 'utf8');
  if (!wire.includes("'./protocol/index'")) throw new Error('dist/wire.d.ts does not point at the shipped protocol');
}

async function run() {
  fs.rmSync(dist, { recursive: true, force: true });
  await bundles();
  declarations();
  console.log(`@parley/client built into ${path.relative(root, dist) || dist}`);
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
