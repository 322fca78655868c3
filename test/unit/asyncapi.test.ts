import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import YAML from 'yaml';
import { ERROR_CODES, type ClientToServerEvents, type HandshakeAuth, type ServerToClientEvents } from '../../src/protocol';
import { schemas } from '../../src/realtime/schemas';

const root = path.join(__dirname, '..', '..');
const { generateContract, OUTPUTS } = require('../../scripts/contract') as {
  generateContract(root: string, modules: string): Record<string, string>;
  OUTPUTS: { asyncapi: string; openapi: string };
};

// Typed lists: the compiler refuses these if an event or a field is added or removed without them.
const CLIENT_EVENTS: Record<keyof ClientToServerEvents, true> = {
  'find-match': true, 'cancel-match': true, 'next-match': true, 'send-message': true, typing: true, 'leave-room': true, block: true,
  'room-create': true, 'room-join': true, 'room-leave': true, 'room-typing': true, 'room-message': true, 'room-delete-message': true,
  'room-kick': true, 'room-pin': true, 'room-unpin': true, 'room-react': true, 'room-edit': true, 'room-read': true, 'room-backstage': true, 'keep-in-touch': true, 'contacts-list': true, 'contact-rename': true, 'contact-remove': true, 'contact-block': true,
  'dm-send': true, 'dm-history': true, 'dm-read': true, 'dm-typing': true, settings: true, 'delete-identity': true, report: true, sync: true,
  'accept-rules': true, 'room-role': true, 'room-mute': true, 'room-settings': true,
  'call-signal': true, 'call-state': true, 'call-credentials': true,
};
const SERVER_EVENTS: Record<keyof ServerToClientEvents, true> = {
  session: true, waiting: true, matched: true, message: true, 'partner-typing': true, 'partner-disconnected': true, 'match-cancelled': true,
  'partner-away': true, 'partner-back': true, resumed: true, 'state-lost': true, 'online-count': true, 'search-status': true, error: true,
  'room-message': true, 'room-presence': true, 'room-typing': true, 'room-message-deleted': true, 'room-kicked': true, 'room-updated': true,
  'room-pins': true, 'room-reactions': true, 'room-message-edited': true, 'room-mention': true, 'room-unread': true, 'room-backstage-invite': true,
  'keep-in-touch-offered': true, 'contact-added': true, 'contact-removed': true, 'contact-presence': true, dm: true, 'dm-read': true,
  'dm-typing': true, 'call-signal': true, 'call-state': true,
};
const AUTH_FIELDS: Record<keyof HandshakeAuth, true> = { pow: true, token: true, lastSeenId: true, lastSeq: true, epoch: true };
const PUBLIC_ROUTES = ['/api/config', '/api/challenge', '/api/rooms', '/api/rooms/{code}', '/api/rooms/{code}/messages', '/health', '/stats'];

type Doc = Record<string, any>;
const committed = (file: string) => readFileSync(path.join(root, file), 'utf8');
const asyncapi: Doc = YAML.parse(committed(OUTPUTS.asyncapi));
const openapi: Doc = YAML.parse(committed(OUTPUTS.openapi));
const resolve = (doc: Doc, ref: string): Doc => ref.slice(2).split('/').reduce((node: Doc, key) => node[key], doc);

test('the committed AsyncAPI and OpenAPI files are what `npm run asyncapi` generates from the code now', () => {
  const fresh = generateContract(root, path.join(root, 'src'));
  for (const [file, content] of Object.entries(fresh)) {
    const lines = committed(file).split('\n');
    const wanted = content.split('\n');
    const first = wanted.findIndex((line, i) => lines[i] !== line);
    const stale = first === -1 && lines.length === wanted.length ? null : { file, line: first + 1, committed: lines[first], generated: wanted[first], fix: 'npm run asyncapi' };
    expect(stale).toBeNull();
  }
});

test('@asyncapi/parser reads docs/asyncapi.yaml as valid AsyncAPI 3.0 without errors or warnings', async () => {
  const { document, diagnostics } = await new Parser().parse(committed(OUTPUTS.asyncapi));
  // 0: error, 1: warning; 2 and 3 are hints (such as a newer AsyncAPI version existing).
  expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
  expect(document?.version()).toBe('3.0.0');
  expect(document?.operations().length).toBe(Object.keys(CLIENT_EVENTS).length + Object.keys(SERVER_EVENTS).length);
});

test('every client event is an operation the server receives, with its zod payload and an acknowledgement or an error', () => {
  const names = Object.keys(schemas);
  expect(names.sort()).toEqual(Object.keys(CLIENT_EVENTS).sort());
  for (const name of names) {
    const operation = asyncapi.operations[`client.${name}`];
    expect(operation).toMatchObject({ action: 'receive', channel: { $ref: '#/channels/socket' } });
    const message = resolve(asyncapi, resolve(asyncapi, operation.messages[0].$ref).$ref);
    expect(message.name).toBe(name);
    expect(resolve(asyncapi, message.payload.$ref)).toMatchObject({ type: 'object', additionalProperties: false });
    const ack = resolve(asyncapi, resolve(asyncapi, operation.reply.messages[0].$ref).$ref);
    const [success, failure] = ack.payload.oneOf.map((s: Doc) => resolve(asyncapi, s.$ref));
    expect(success.properties.ok).toEqual({ type: 'boolean', const: true });
    expect(failure.properties.ok).toEqual({ type: 'boolean', const: false });
  }
});

test('every server event is an operation the server sends, with its payload', () => {
  for (const name of Object.keys(SERVER_EVENTS)) {
    const operation = asyncapi.operations[`server.${name}`];
    expect(operation).toMatchObject({ action: 'send' });
    const message = resolve(asyncapi, resolve(asyncapi, operation.messages[0].$ref).$ref);
    expect(message.name).toBe(name);
    expect(resolve(asyncapi, message.payload.$ref)).toBeDefined();
  }
});

test('the error shape carries every error code, and the handshake its auth fields and refusal', () => {
  const errorBody = resolve(asyncapi, asyncapi.components.schemas.AckError.properties.error.$ref);
  expect(resolve(asyncapi, errorBody.properties.code.$ref).enum).toEqual([...ERROR_CODES]);
  expect(asyncapi.channels.socket['x-socketio']).toMatchObject({ namespace: '/', path: '/socket.io/' });
  const auth = resolve(asyncapi, asyncapi.channels.socket['x-socketio'].auth.$ref);
  expect(Object.keys(auth.properties).sort()).toEqual(Object.keys(AUTH_FIELDS).sort());
  expect(auth.properties.token.description).toMatch(/session/);
  const refusal = resolve(asyncapi, asyncapi.channels.socket['x-socketio'].connectError.$ref);
  expect(refusal.properties).toMatchObject({ code: errorBody.properties.code, until: expect.anything() });
});

test('the OpenAPI file describes the public routes with schemas that resolve', () => {
  expect(openapi.openapi).toBe('3.1.0');
  for (const route of PUBLIC_ROUTES) expect(openapi.paths[route]?.get?.responses?.['200']).toBeDefined();
  const refs = JSON.stringify(openapi).match(/#\/components\/schemas\/[^"]+/g) ?? [];
  for (const ref of new Set(refs)) expect({ ref, found: resolve(openapi, ref) !== undefined }).toEqual({ ref, found: true });
});
