// Copies the files the compiled store reads at run time next to it, so dist/
// runs on its own: the Lua scripts, the SQL migrations and the rules text in each language.
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
const moderation = path.join(__dirname, '..', 'src', 'moderation');
for (const name of fs.readdirSync(moderation).filter((file) => /^rules(\.[\w-]+)?\.md$/.test(file))) {
  fs.copyFileSync(path.join(moderation, name), path.join(__dirname, '..', 'dist', 'moderation', name));
}
