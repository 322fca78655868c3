/**
 * HTTP errors nobody answered on purpose reach the client as a typed JSON
 * error without stack, message or install paths, whatever NODE_ENV says.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { errorHandler } from '../../src/http/error-handler';
import { startNode, type RunningNode } from '../../testkit/nodes';

const TOKEN = 'an-operator-token-of-at-least-32-chars';
let node: RunningNode;
const savedEnv = process.env.NODE_ENV;

beforeAll(async () => {
  // As with `npm start` and deploy/cluster.sh.
  delete process.env.NODE_ENV;
  node = await startNode({ ADMIN_TOKEN: TOKEN });
});
afterAll(async () => {
  process.env.NODE_ENV = savedEnv;
  await node?.close();
});

const leaks = /URIError|\n\s+at |node_modules|\/work\/|\.ts:\d|\.js:\d/;

async function answer(path: string, init?: RequestInit): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${node.url}${path}`, init);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

test('a malformed URI is 400 INVALID_PAYLOAD as JSON, without a stack', async () => {
  for (const path of ['/api/rooms/%E0%A4%A', '/api/rooms/%E0%A4%A/messages', '/r/%E0%A4%A', '/api/admin/reports/%E0%A4%A']) {
    const res = await answer(path, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/application\/json/);
    expect(JSON.parse(res.text)).toEqual({ error: { code: 'INVALID_PAYLOAD', message: expect.any(String) } });
    expect(res.text).not.toMatch(leaks);
  }
});

test('an unexpected failure is 500 INTERNAL without its message, and is logged in full', async () => {
  const logged: unknown[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const app = express();
  app.get('/boom', () => {
    throw new Error('SELECT secret FROM /opt/parley/internal failed');
  });
  app.use(errorHandler(logger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/boom`);
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(text).not.toMatch(/secret|opt|Error/);
    expect(logged).toContainEqual(expect.objectContaining({ level: 50, err: expect.objectContaining({ message: expect.stringMatching(/secret/) }) }));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
