/**
 * The README's bot: the file packages/client/examples/greeter.mts is the
 * READMEs' example, word for word, and it runs as its own Node process
 * against a real node and greets a member who joins from the other node.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../../testkit/eventually';
import { recordEvents, useSdkCluster } from './sdk-fixture';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleExample } = require('../../packages/client/scripts/run-example.js') as { bundleExample(name: string, outfile: string): Promise<void> };

const pkg = path.join(__dirname, '..', '..', 'packages', 'client');
const example = path.join(pkg, 'examples', 'greeter.mts');
const fixture = useSdkCluster({ ROOMS: 'lobby' });

test("the READMEs (the SDK's and the quick start) show the greeter exactly as the example file holds it", () => {
  const code = readFileSync(example, 'utf8');
  for (const readme of [path.join(pkg, 'README.md'), path.join(pkg, '..', '..', 'README.md')]) {
    expect(readFileSync(readme, 'utf8')).toContain('```ts\n' + code + '```\n');
  }
});

test('the greeter joins a room and welcomes a member who joins it from another node', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-greeter-'));
  const bundle = path.join(dir, 'greeter.mjs');
  await bundleExample('greeter', bundle);
  const bot = spawn(process.execPath, [bundle], { cwd: dir, env: { ...process.env, PARLEY_URL: fixture.urls[0], PARLEY_ROOM: 'lobby' } });
  let output = '';
  bot.stdout.on('data', (chunk) => (output += chunk));
  bot.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => bot.once('exit', resolve));
  try {
    const deadline = Date.now() + 20_000;
    while (!output.includes('greeting newcomers in lobby as Greeter')) {
      if (Date.now() > deadline || bot.exitCode !== null) throw new Error(`the greeter did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const visitor = fixture.client(1);
    await visitor.ready();
    const live = recordEvents(visitor, 'room-message');
    const joined = await visitor.joinRoom('lobby', { name: 'Visitor' });
    // The greeter answers the presence the join sends, which may be before the join reads the room's
    // messages: its welcome is then in the join's history, else it comes live.
    const welcome = await eventually(() => [...joined.messages, ...live].find((m) => m.name === 'Greeter') ?? false, 15_000);
    expect(welcome).toMatchObject({ text: 'Welcome to lobby, Visitor!' });
    // It never greets itself.
    expect([...joined.messages, ...live].filter((m) => m.name === 'Greeter').map((m) => m.text)).toEqual(['Welcome to lobby, Visitor!']);
    // Its identity is kept for its next run.
    expect(readFileSync(path.join(dir, '.parley', 'greeter-token'), 'utf8').trim()).not.toBe('');
  } finally {
    bot.kill('SIGINT');
    expect(await exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }
});
