/**
 * The built package as a project outside this repository meets it: ESM and
 * CommonJS entries that load in Node, bundles that carry no server code, and
 * declarations that type-check a consumer with complete protocol types.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const pkg = path.join(root, 'packages', 'client');
let consumer: string;

let installed: string;

beforeAll(() => {
  // A project of its own: the package built and placed as npm would install it, its dependencies beside it.
  consumer = mkdtempSync(path.join(os.tmpdir(), 'parley-sdk-consumer-'));
  installed = path.join(consumer, 'node_modules', '@parley', 'client');
  mkdirSync(installed, { recursive: true });
  cpSync(path.join(pkg, 'package.json'), path.join(installed, 'package.json'));
  execFileSync(process.execPath, [path.join(pkg, 'scripts', 'build.js'), path.join(installed, 'dist')], { cwd: root, stdio: 'pipe' });
  for (const dep of ['socket.io-client', 'altcha-lib', '@types/node']) {
    mkdirSync(path.dirname(path.join(consumer, 'node_modules', dep)), { recursive: true });
    symlinkSync(path.join(root, 'node_modules', dep), path.join(consumer, 'node_modules', dep));
  }
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
}, 120_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

test('the ESM and CommonJS entries load in Node and export the same API', () => {
  const script = `
    import { createRequire } from 'node:module';
    const esm = await import('@parley/client');
    const cjs = createRequire(import.meta.url)('@parley/client');
    const node = await import('@parley/client/node');
    console.log(JSON.stringify([Object.keys(esm).sort(), Object.keys(cjs).sort(), typeof node.fileTokenStore]));
  `;
  const [esm, cjs, fileStore] = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8' })) as [string[], string[], string];
  expect(esm).toEqual(cjs);
  expect(esm).toEqual(expect.arrayContaining(['connect', 'ParleyClient', 'ParleyError', 'memoryTokenStore', 'webTokenStore']));
  expect(fileStore).toBe('function');
});

test('the bundles import only the SDK dependencies: no server code, no protocol values', () => {
  for (const file of ['index.mjs', 'index.cjs']) {
    const code = readFileSync(path.join(installed, 'dist', file), 'utf8');
    const imports = [...code.matchAll(/(?:from |require\()["']([^"']+)["']/g)].map((m) => m[1]);
    expect([...new Set(imports)].sort()).toEqual(['altcha-lib/v1', 'socket.io-client']);
    expect(code).not.toContain('ERROR_CODES');
  }
});

test('a TypeScript project outside the repository gets complete types from the declarations alone', () => {
  writeFileSync(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'] }, files: ['bot.ts'] }),
  );
  writeFileSync(
    path.join(consumer, 'bot.ts'),
    `import { connect, ParleyError, type ChatMessage, type RoomInfo, type ErrorCode } from '@parley/client';
import { fileTokenStore } from '@parley/client/node';

const client = connect('http://127.0.0.1:1', { tokenStore: fileTokenStore('token') });
client.on('message', (m: ChatMessage) => {
  const seq: number = m.seq;
  const epoch: string = m.epoch;
  // @ts-expect-error a seq is a number
  const wrong: string = m.seq;
  void [seq, epoch, wrong];
});
client.on('room-presence', (e) => void (e.joined?.name satisfies string | undefined));
client.on('stream-reset', ({ stream }) => void (stream.kind satisfies 'chat' | 'room' | 'dm'));
export async function run(): Promise<void> {
  const { room } = await client.createRoom({ title: 'A', visibility: 'public' });
  const info: RoomInfo = room;
  const sent = await client.sendRoom(info.code, 'hi');
  void (sent.seq satisfies number);
  try {
    await client.joinRoom('x');
  } catch (err) {
    if (err instanceof ParleyError) void (err.code satisfies ErrorCode | 'TIMEOUT' | 'DISCONNECTED' | 'CLOSED' | 'CONNECT_FAILED');
  }
  // @ts-expect-error no such request event
  await client.request('no-such-event', {});
  // @ts-expect-error the payload is typed
  await client.request('room-leave', { room: 'x' });
}
`,
  );
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8' });
  } catch (err) {
    output = String((err as { stdout?: string }).stdout);
  }
  expect(output).toBe('');
}, 120_000);
