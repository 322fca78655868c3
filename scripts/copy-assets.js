// Copies the Lua scripts next to the compiled store so dist/ runs on its own.
const fs = require('node:fs');
const path = require('node:path');

const from = path.join(__dirname, '..', 'src', 'store', 'lua');
const to = path.join(__dirname, '..', 'dist', 'store', 'lua');
fs.rmSync(to, { recursive: true, force: true });
fs.cpSync(from, to, { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || src.endsWith('.lua') });
