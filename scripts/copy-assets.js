// Copies the files the compiled store reads at run time next to it, so dist/
// runs on its own: the Lua scripts, the SQL migrations and the rules text.
const fs = require('node:fs');
const path = require('node:path');

const assets = [
  [path.join('redis', 'lua'), '.lua'],
  [path.join('postgres', 'migrations'), '.sql'],
];
for (const [dir, extension] of assets) {
  const from = path.join(__dirname, '..', 'src', 'store', dir);
  const to = path.join(__dirname, '..', 'dist', 'store', dir);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || src.endsWith(extension) });
}

fs.mkdirSync(path.join(__dirname, '..', 'dist', 'moderation'), { recursive: true });
fs.copyFileSync(
  path.join(__dirname, '..', 'src', 'moderation', 'rules.md'),
  path.join(__dirname, '..', 'dist', 'moderation', 'rules.md'),
);
