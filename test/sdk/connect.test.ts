/**
 * Connecting with the SDK to one real node with the safety gate on: proof of
 * work solved for a new identity, the rules accepted as a call, the identity
 * kept through a token store, refusals as ParleyError, and the stops:
 * SESSION_REPLACED (no reconnect until asked) and close().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, memoryTokenStore, ParleyError, type ClientOptions, type ParleyClient } from '@parley/client';
import { fileTokenStore } from '@parley/client/node';
import { startNode, type RunningNode } from '../../testkit/nodes';
import { nextEvent } from './sdk-fixture';

let node: RunningNode;
const open: ParleyClient[] = [];

beforeAll(async () => {
  node = await startNode({ NODE_ID: 'sdk-gate', POW_DIFFICULTY: '2000', RULES_GATE: 'on' });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});
afterAll(() => node?.close());

function client(options: ClientOptions = {}): ParleyClient {
  const c = connect(node.url, { transports: ['websocket'], ...options });
  open.push(c);
  return c;
}

test('a new identity connects with a solved proof of work; searching waits for the rules, accepted as a call', async () => {
  const c = client();
  const session = await c.ready();
  expect(session.userId).toEqual(expect.any(String));
  await expect(c.findMatch()).rejects.toMatchObject({ name: 'ParleyError', code: 'RULES_NOT_ACCEPTED' });
  await c.acceptRules();
  expect(await c.findMatch()).toEqual({ state: 'waiting' });
});

test('holdEvents: what arrives before release() waits, in order, and the client’s own bookkeeping does not', async () => {
  const c = client({ holdEvents: true });
  const seen: string[] = [];
  c.on('connect', () => seen.push('connect'));
  c.on('session', (s) => seen.push(`session ${s.userId}`));
  // The greeting is handled (the session is known, ready() resolves) while the page's listeners hear nothing yet.
  const session = await c.ready();
  expect(c.session?.userId).toBe(session.userId);
  expect(seen).toEqual([]);
  c.release();
  expect(seen).toEqual(['connect', `session ${session.userId}`]);
  // From then on events flow as they come; a second release changes nothing.
  c.release();
  await c.acceptRules();
  expect(await c.findMatch()).toEqual({ state: 'waiting' });
});

test('a token store keeps the identity from one client to the next (a file in Node)', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-sdk-token-'));
  try {
    const first = client({ tokenStore: fileTokenStore(path.join(dir, 'bot', 'token')) });
    const { userId } = await first.ready();
    await first.close();
    const again = client({ tokenStore: fileTokenStore(path.join(dir, 'bot', 'token')) });
    expect((await again.ready()).userId).toBe(userId);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('another connection of the same identity stops this one: SESSION_REPLACED, no reconnect until reconnect()', async () => {
  const tokens = memoryTokenStore();
  const first = client({ tokenStore: tokens });
  const { userId } = await first.ready();
  const closed = nextEvent(first, 'closed');
  const second = client({ tokenStore: tokens });
  expect((await second.ready()).userId).toBe(userId);
  expect((await closed).error).toMatchObject({ code: 'SESSION_REPLACED' });
  expect(first.connected).toBe(false);
  await expect(first.findMatch()).rejects.toMatchObject({ code: 'SESSION_REPLACED' });
  // Asked to, it takes the identity back.
  const secondClosed = nextEvent(second, 'closed');
  const back = nextEvent(first, 'session');
  first.reconnect();
  expect((await back).userId).toBe(userId);
  expect((await secondClosed).error).toMatchObject({ code: 'SESSION_REPLACED' });
});

test('close() fails what waits with CLOSED and is safe to call twice', async () => {
  const c = client();
  await c.ready();
  await c.acceptRules();
  const closed = nextEvent(c, 'closed');
  await c.close();
  await c.close();
  expect(await closed).toEqual({});
  const error = await c.send('after close').catch((err: unknown) => err);
  expect(error).toBeInstanceOf(ParleyError);
  expect(error).toMatchObject({ code: 'CLOSED' });
});
