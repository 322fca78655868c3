/**
 * Once connected, a socket no longer holds its upgrade request nor the
 * handshake's headers and auth, and goes on working, over WebSocket and
 * over long polling.
 */
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { noteUpgradeResponse, releaseHandshake } from '../../src/realtime/handshake-release';

let httpServer: HttpServer;
let io: Server;
let url: string;
const clients: ClientSocket[] = [];
/** Each upgrade's response object, as the middleware after parley's saw it. */
const responses: { req: IncomingMessage | null }[] = [];
let connected: (socket: Socket) => void = () => undefined;

beforeAll(async () => {
  httpServer = createServer();
  io = new Server(httpServer);
  io.engine.use(noteUpgradeResponse);
  io.engine.use((req: IncomingMessage, res: unknown, next: () => void) => {
    if (typeof res === 'object' && res !== null && 'req' in res && !('statusCode' in res)) responses.push(res as { req: IncomingMessage | null });
    next();
  });
  io.on('connection', (socket) => {
    releaseHandshake(socket);
    socket.on('echo', (text: string, ack: (reply: string) => void) => ack(text));
    connected(socket);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
  responses.splice(0);
});
afterAll(async () => {
  io.close();
  await new Promise((resolve) => httpServer.close(resolve));
});

async function open(transports: ('websocket' | 'polling')[]): Promise<{ client: ClientSocket; socket: Socket }> {
  const arrived = new Promise<Socket>((resolve) => (connected = resolve));
  const client = connectClient(url, { transports, auth: { token: 'secret-token' }, extraHeaders: { cookie: 'session=abc' }, reconnection: false });
  clients.push(client);
  const socket = await arrived;
  await new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve())));
  return { client, socket };
}

const echo = (client: ClientSocket, text: string): Promise<string> => client.timeout(10_000).emitWithAck('echo', text);

test('a WebSocket connection lets go of its upgrade request, its headers, auth and query, and keeps working', async () => {
  const { client, socket } = await open(['websocket']);
  expect(socket.request).toBeNull();
  expect(socket.handshake.headers).toEqual({});
  expect(socket.handshake.auth).toEqual({});
  expect(socket.handshake.query).toEqual({});
  expect(responses).toHaveLength(1);
  expect(responses[0]!.req).toBeNull();
  await expect(echo(client, 'still here')).resolves.toBe('still here');
});

test('a long-polling connection, and one that upgrades from it, let go of the request and keep working', async () => {
  const polling = await open(['polling']);
  expect(polling.socket.request).toBeNull();
  expect(polling.socket.handshake.headers).toEqual({});
  await expect(echo(polling.client, 'polled')).resolves.toBe('polled');

  const upgrading = await open(['polling', 'websocket']);
  await new Promise<void>((resolve) => {
    if (upgrading.client.io.engine.transport.name === 'websocket') resolve();
    else upgrading.client.io.engine.once('upgrade', () => resolve());
  });
  expect(upgrading.socket.request).toBeNull();
  await expect(echo(upgrading.client, 'upgraded')).resolves.toBe('upgraded');
});
