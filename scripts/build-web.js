// Bundles the web client (web/) into dist/public/: index.html, app.js, styles.css
// (minified, with source maps), the operator console (admin.html, admin.js,
// admin-styles.css), the static files in web/public/, the page's words in each language
// (web/locales/<language>.json, compiled into dist/public/locales/), the video chat's code (video.js, built first and
// apart: the page loads it only when video is chosen, by the versioned URL written into app.js) and the service worker (sw.js), which is built last
// with the list of the app shell's files and a version derived from their contents. The page's client SDK, @parley/client, is bundled
// from its sources (packages/client/src, through the `paths` of web/tsconfig.json), so no built SDK is needed.
// Usage: node scripts/build-web.js [--watch]
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
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
  target: ['chrome91', 'firefox90', 'safari15'],
  tsconfig: 'web/tsconfig.json',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
  // Messages arrive compiled (see compileMessages): the formatter's parser stays out of the page.
  alias: { '@formatjs/icu-messageformat-parser': '@formatjs/icu-messageformat-parser/no-parser.js' },
  plugins: [englishOutOfBundle],
};

/** The video chat (web/src/video/video-main.ts): its own script, loaded by the page only when video is chosen. */
const VIDEO_ENTRY = { video: 'web/src/video/video-main.ts' };

/** The URL app.js loads video.js from, with a hash of its contents (watch mode: unversioned). */
function videoSrc() {
  return watch ? '/video.js' : `/video.js?v=${hashOf(path.join(out, 'video.js'))}`;
}

function hashOf(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 10);
}

/** The files the pages link with a `?v=<hash>` of their contents. */
const VERSIONED = ['app.js', 'styles.css', 'admin.js', 'admin-styles.css', 'video.js'];

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

/** The app shell the service worker keeps: the page and what it loads, as the page asks for them. */
const SHELL_FILES = ['index.html', 'app.js', 'styles.css', 'video.js', 'pow-worker.js', 'favicon.svg', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png', 'apple-touch-icon.png'];

/** Each language file's content hash, as written by writeLocales() (the page asks for `/locales/<language>.json?v=<hash>`). */
let localeVersions = {};

/** The shell's URLs (the page as `/`, the versioned scripts and styles as index.html links them, every language's words) and the build version. */
function shellManifest() {
  const files = SHELL_FILES.map((name) => {
    if (name === 'index.html') return '/';
    return VERSIONED.includes(name) ? `/${name}?v=${hashOf(path.join(out, name))}` : `/${name}`;
  });
  const locales = Object.entries(localeVersions).map(([language, hash]) => `/locales/${language}.json?v=${hash}`);
  const digest = crypto.createHash('sha256');
  for (const name of SHELL_FILES) digest.update(fs.readFileSync(path.join(out, name)));
  digest.update(JSON.stringify(localeVersions));
  return { version: digest.digest('hex').slice(0, 12), files: [...files, ...locales] };
}

/** Builds sw.js with the shell's list and version written in (after the page, whose files it lists). */
async function buildServiceWorker() {
  const result = await esbuild.build({
    ...options,
    entryPoints: { sw: 'web/src/offline/service-worker.ts' },
    define: { PARLEY_SHELL: JSON.stringify(shellManifest()) },
    metafile: false,
    write: false,
  });
  writeOutputs(result);
}

/** The text files served compressed: each gets a `.br` and a `.gz` beside it (see src/http/app-shell.ts). */
const COMPRESSED = /\.(js|css|html|svg|webmanifest)$/;

/** Brotli (quality 11) and gzip (level 9) copies of the served text files, made once here instead of on every request. */
function precompress() {
  for (const name of fs.readdirSync(out).filter((n) => COMPRESSED.test(n))) {
    const body = fs.readFileSync(path.join(out, name));
    const copies = {
      br: zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      gz: zlib.gzipSync(body, { level: 9 }),
    };
    for (const [suffix, data] of Object.entries(copies)) {
      const target = path.join(out, `${name}.${suffix}`);
      fs.writeFileSync(`${target}.${process.pid}.tmp`, data);
      fs.renameSync(`${target}.${process.pid}.tmp`, target);
    }
  }
}

async function finish(result) {
  copyPublic();
  writeHtml();
  await buildServiceWorker();
  precompress();
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
  localeVersions = writeLocales();
  options.define = { PARLEY_LOCALE_VERSIONS: JSON.stringify(localeVersions) };
  if (!watch) {
    // video.js first: app.js carries its versioned URL.
    const video = await esbuild.build({ ...options, entryPoints: VIDEO_ENTRY, write: false });
    writeOutputs(video);
    options.define.PARLEY_VIDEO_SRC = JSON.stringify(videoSrc());
    const result = await esbuild.build({ ...options, write: false });
    writeOutputs(result);
    Object.assign(result.metafile.outputs, video.metafile.outputs);
    return await finish(result);
  }
  options.define.PARLEY_VIDEO_SRC = JSON.stringify(videoSrc());
  const ctx = await esbuild.context({
    ...options,
    entryPoints: { ...options.entryPoints, ...VIDEO_ENTRY },
    plugins: [...options.plugins, { name: 'finish', setup: (b) => b.onEnd((r) => (r.errors.length === 0 ? finish(r) : undefined)) }],
  });
  await ctx.watch();
  console.log('watching web/ for changes');
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
