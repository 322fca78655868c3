// Bundles the web client (web/) into dist/public/: index.html, app.js, styles.css
// (minified, with source maps), the operator console (admin.html, admin.js,
// admin-styles.css), the static files in web/public/ and the page's words in
// each language (web/locales/<language>.json, compiled into dist/public/locales/). The page's client SDK, @parley/client, is bundled
// from its sources (packages/client/src, through the `paths` of web/tsconfig.json), so no built SDK is needed.
// Usage: node scripts/build-web.js [--watch]
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const { parse } = require('@formatjs/icu-messageformat-parser');

const root = path.join(__dirname, '..');
const web = path.join(root, 'web');
const out = path.join(root, 'dist', 'public');
const watch = process.argv.includes('--watch');

const locales = path.join(web, 'locales');

/**
 * A resource file with each message that has placeholders (ICU syntax) parsed
 * into its syntax tree, so the page formats messages without shipping a parser.
 */
function compileMessages(file) {
  const messages = JSON.parse(fs.readFileSync(file, 'utf8'));
  return Object.fromEntries(
    Object.entries(messages).map(([key, text]) => [key, /[{}]/.test(text) ? parse(text, { ignoreTag: true }) : text]),
  );
}

/** Writes every language to dist/public/locales/; returns each file's content hash. */
function writeLocales() {
  fs.mkdirSync(path.join(out, 'locales'), { recursive: true });
  const versions = {};
  for (const name of fs.readdirSync(locales).filter((file) => file.endsWith('.json'))) {
    const body = JSON.stringify(compileMessages(path.join(locales, name)));
    const target = path.join(out, 'locales', name);
    fs.writeFileSync(`${target}.${process.pid}.tmp`, body);
    fs.renameSync(`${target}.${process.pid}.tmp`, target);
    versions[name.slice(0, -'.json'.length)] = crypto.createHash('sha256').update(body).digest('hex').slice(0, 10);
  }
  return versions;
}

/**
 * The views name English's keys (web/src/i18n imports en.json for its types),
 * but no language's words go into app.js: the page fetches its language's file,
 * English too, alongside /api/config, so a phone downloads one language only.
 */
const englishOutOfBundle = {
  name: 'english-out-of-bundle',
  setup(build) {
    build.onLoad({ filter: /[\\/]web[\\/]locales[\\/]en\.json$/ }, () => ({ contents: '{}', loader: 'json' }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: {
    app: 'web/src/app/main.ts',
    'pow-worker': 'web/src/safety/pow-worker.ts',
    styles: 'web/styles/main.css',
    admin: 'web/src/admin/main.ts',
    'admin-styles': 'web/styles/admin.css',
  },
  outdir: out,
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
  tsconfig: 'web/tsconfig.json',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
  // Messages arrive compiled (see compileMessages): the formatter's parser stays out of the page.
  alias: { '@formatjs/icu-messageformat-parser': '@formatjs/icu-messageformat-parser/no-parser.js' },
  plugins: [englishOutOfBundle],
};

function hashOf(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 10);
}

/** The pages, each linking its own script and styles (by absolute path: index.html is also served at /r/<code>). */
const PAGES = ['index.html', 'admin.html'];

/** Copies each page with whitespace trimmed and cache-busting versions on the scripts and styles it links. */
function writeHtml() {
  for (const page of PAGES) {
    const target = path.join(out, page);
    const html = fs
      .readFileSync(path.join(web, page), 'utf8')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/\n\s*/g, '\n')
      .replace(/"(\/?)(app\.js|styles\.css|admin\.js|admin-styles\.css)"/g, (_, slash, name) => `"${slash}${name}?v=${hashOf(path.join(out, name))}"`);
    fs.writeFileSync(`${target}.${process.pid}.tmp`, html);
    fs.renameSync(`${target}.${process.pid}.tmp`, target);
  }
}

function copyPublic() {
  const from = path.join(web, 'public');
  for (const name of fs.readdirSync(from)) {
    fs.copyFileSync(path.join(from, name), path.join(out, `${name}.${process.pid}.tmp`));
    fs.renameSync(path.join(out, `${name}.${process.pid}.tmp`), path.join(out, name));
  }
}

function finish(result) {
  copyPublic();
  writeHtml();
  const sizes = Object.entries(result.metafile.outputs)
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, { bytes }]) => `${path.basename(file)} ${(bytes / 1024).toFixed(1)} kB`);
  console.log(`web client built into ${path.relative(root, out)}: ${sizes.join(', ')}`);
}

/** Writes esbuild's output through a temp file and a rename, so a reader never sees half a file. */
function writeOutputs(result) {
  for (const file of result.outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, file.contents);
    fs.renameSync(tmp, file.path);
  }
}

async function run() {
  fs.mkdirSync(out, { recursive: true });
  // The page fetches /locales/<language>.json?v=<hash>: a changed file is never read from a stale cache.
  options.define = { PARLEY_LOCALE_VERSIONS: JSON.stringify(writeLocales()) };
  if (!watch) {
    const result = await esbuild.build({ ...options, write: false });
    writeOutputs(result);
    return finish(result);
  }
  const ctx = await esbuild.context({
    ...options,
    plugins: [...options.plugins, { name: 'finish', setup: (b) => b.onEnd((r) => r.errors.length === 0 && finish(r)) }],
  });
  await ctx.watch();
  console.log('watching web/ for changes');
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
