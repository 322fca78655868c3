/**
 * Every client event refuses hostile payloads with INVALID_PAYLOAD before
 * anything touches state, and the node keeps serving. The list of events is
 * the schema table itself, so an event added later is covered too.
 */
import { io } from 'socket.io-client';
import { schemas } from '../../src/realtime/schemas';
import { connect, disconnectAll, request } from '../helpers/clients';
import { startNode, type RunningNode } from '../../testkit/nodes';

let node: RunningNode;

beforeAll(async () => {
  node = await startNode({ NODE_ID: 'bad-input', RULES_GATE: 'off' });
});
afterEach(() => disconnectAll());
afterAll(() => node.close());

const deep = (levels: number): unknown => (levels === 0 ? {} : { code: deep(levels - 1) });
const HOSTILE: [string, unknown[]][] = [
  ['no payload', []],
  ['null', [null]],
  ['a number', [42]],
  ['a string', ['{"code":"x"}']],
  ['an array', [[{ code: 'lobby' }]]],
  ['an unknown key', [{ unexpected: true }]],
  ['an own __proto__ key', [JSON.parse('{"__proto__": {"polluted": true}}')]],
  ['deep nesting', [deep(200)]],
  ['two payloads', [{}, {}]],
];

test.each(Object.keys(schemas))('"%s" answers INVALID_PAYLOAD to hostile payloads', async (event) => {
  const client = await connect(node.url);
  for (const [, args] of HOSTILE) {
    const timed = client.timeout(5000) as unknown as { emitWithAck(name: string, ...rest: unknown[]): Promise<unknown> };
    const ack = (await timed.emitWithAck(event, ...args)) as { ok: boolean; error?: { code: string } };
    expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(client.connected).toBe(true);
});

test('after all that the node still serves a valid request', async () => {
  const raw = io(node.url, { transports: ['websocket'], forceNew: true });
  await new Promise((resolve) => raw.once('session', resolve));
  raw.disconnect();
  const client = await connect(node.url);
  expect(await request(client, 'find-match', {})).toMatchObject({ ok: true });
  expect((await fetch(`${node.url}/health`)).status).toBe(200);
});
