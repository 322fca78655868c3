/**
 * Transports that never send the Socket.IO connect packet count against the
 * address's cap (MAX_CONNECTIONS_PER_IP) on the node, and are closed when
 * the connect packet has not come within 10 s.
 */
import { Manager } from 'socket.io-client';
import { connect, disconnectAll, eventually } from '../helpers/clients';
import { startNode, type RunningNode } from '../../testkit/nodes';

const CAP = 5;
let node: RunningNode;
const managers: Manager[] = [];

beforeAll(async () => {
  node = await startNode({ NODE_ID: 'raw', MAX_CONNECTIONS_PER_IP: String(CAP) });
});
afterEach(() => {
  disconnectAll();
  for (const manager of managers.splice(0)) manager.engine?.close();
});
afterAll(() => node.close());

/** Opens an engine.io transport and nothing more; resolves whether the server let it open, and when it closes. */
function rawTransport(transport: 'websocket' | 'polling'): Promise<{ opened: boolean; closed: Promise<number> }> {
  const manager = new Manager(node.url, { transports: [transport], reconnection: false, autoConnect: false });
  managers.push(manager);
  return new Promise((resolve) => {
    manager.open((err) => {
      if (err) return resolve({ opened: false, closed: Promise.resolve(Date.now()) });
      const closed = new Promise<number>((done) => manager.engine.once('close', () => done(Date.now())));
      resolve({ opened: true, closed });
    });
  });
}

test('raw transports fill the address’s cap: the next transport and the next real client are refused until one closes', async () => {
  const held = [];
  for (let i = 0; i < CAP; i++) held.push(await rawTransport(i % 2 ? 'polling' : 'websocket'));
  expect(held.map((t) => t.opened)).toEqual(Array(CAP).fill(true));
  expect((await rawTransport('websocket')).opened).toBe(false);
  expect((await rawTransport('polling')).opened).toBe(false);
  await expect(connect(node.url)).rejects.toThrow();
  managers[0]!.engine.close();
  await held[0]!.closed;
  await eventually(async () => expect((await connect(node.url).catch(() => null))?.connected).toBe(true));
});

test('a transport that never sends the connect packet is closed within 10 s', async () => {
  const started = Date.now();
  const transport = await rawTransport('websocket');
  expect(transport.opened).toBe(true);
  const closedAt = await transport.closed;
  expect(closedAt - started).toBeLessThan(15_000);
  expect(closedAt - started).toBeGreaterThanOrEqual(9_000);
}, 30_000);
