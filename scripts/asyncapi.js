// npm run asyncapi: writes docs/asyncapi.yaml (the Socket.IO protocol) and
// docs/openapi.yaml (the HTTP routes) from the compiled zod schemas in dist/
// and the TypeScript types in src/protocol. The package script compiles first.
const fs = require('node:fs');
const path = require('node:path');
const { generateContract } = require('./contract');

const root = path.join(__dirname, '..');
for (const [file, content] of Object.entries(generateContract(root, path.join(root, 'dist')))) {
  fs.writeFileSync(path.join(root, file), content);
  console.log(`wrote ${file}`);
}
