// The AsyncAPI 3.0 document of the Socket.IO protocol, described from the
// server's side: it receives every client event (and answers with the
// event's acknowledgement) and sends every server event.
const { borrowDescriptions, pruneSchemas, ref, zodSchema } = require('./schemas');

const CHANNEL = 'socket';
const channelRef = { $ref: `#/channels/${CHANNEL}` };
const messageRef = (key) => ({ $ref: `#/channels/${CHANNEL}/messages/${key}` });

/** The first sentence of a description, for a summary. */
const firstSentence = (text) => (text ? text.split(/(?<=\.)\s/)[0] : undefined);

const withText = (object) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));

const INTRO = `parley's realtime protocol: Socket.IO v4 on the default namespace (\`/\`), path \`/socket.io/\`.

Each client event is \`socket.emit(name, payload, ack)\`: one object payload and an optional acknowledgement
callback, called once with \`{ ok: true, … }\` or \`{ ok: false, error: { code, message } }\` (the reply of each
operation below; \`error.code\` is one of ErrorCode). A payload that fails its schema is answered with
INVALID_PAYLOAD before anything changes. Server events carry one object.

The handshake's \`auth\` object (\`io(url, { auth })\`) is HandshakeAuth. The HTTP routes a client uses beside
the socket (configuration, proof-of-work challenge, room list and history, health, stats) are described in
openapi.yaml beside this file; docs/protocol.md tells the same protocol in prose.`;

/**
 * @param {object} input
 * @param {string} input.version the package's version
 * @param {{ client: object[], server: object[] }} input.events from readWireTypes
 * @param {Record<string, object>} input.schemas the protocol's component schemas
 * @param {(alias: string) => string} input.rename alias → component name
 * @param {Record<string, import('zod').ZodType>} input.eventSchemas src/realtime/schemas.ts
 * @param {string} input.streamContract the TSDoc of src/protocol/streams.ts
 */
function asyncApiDocument({ version, events, schemas, rename, eventSchemas, streamContract }) {
  const messages = {};
  const operations = {};
  const payloads = {};
  const missing = events.client.map((e) => e.name).filter((name) => !eventSchemas[name]);
  const extra = Object.keys(eventSchemas).filter((name) => !events.client.some((e) => e.name === name));
  if (missing.length + extra.length > 0) {
    throw new Error(`event maps and schemas differ: no schema for [${missing}], no event for [${extra}]`);
  }

  /** An event's message and the operation that carries it. */
  const add = (key, event, action, payload, reply) => {
    // An event without TSDoc of its own is described by its payload's type, if that has some.
    const name = payload.$ref.slice('#/components/schemas/'.length);
    const description = event.description ?? (payloads[name] ?? schemas[name])?.description;
    const summary = firstSentence(description);
    messages[key] = withText({ name: event.name, title: event.name, summary, description, payload });
    operations[key] = withText({ action, channel: channelRef, title: event.name, summary, messages: [messageRef(key)], reply });
  };
  for (const event of events.client) {
    const key = `client.${event.name}`;
    payloads[`${key}.payload`] = borrowDescriptions(zodSchema(eventSchemas[event.name]), ref(rename(event.payload)), schemas);
    add(key, event, 'receive', ref(`${key}.payload`), { channel: channelRef, messages: [messageRef(`${key}.ack`)] });
    messages[`${key}.ack`] = withText({
      title: `${event.name} acknowledgement`,
      description: event.ackDescription,
      payload: { oneOf: [ref(rename(event.ack)), ref('AckError')] },
    });
  }
  for (const event of events.server) add(`server.${event.name}`, event, 'send', ref(rename(event.payload)));

  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'parley',
      version,
      description: `${INTRO}\n\n## The stream contract\n\n${streamContract}`,
      license: { name: 'MIT' },
      // externalDocs wants an absolute URL; the OpenAPI file is named relative to this one.
      'x-openapi': { description: 'The HTTP routes beside the socket (OpenAPI 3.1).', url: 'openapi.yaml' },
    },
    defaultContentType: 'application/json',
    servers: {
      public: {
        host: '{host}',
        protocol: 'wss',
        pathname: '/socket.io/',
        title: 'A parley deployment',
        description: 'Socket.IO v4 (Engine.IO 4) over WebSocket, or HTTP long-polling first and then upgraded.',
        variables: { host: { default: 'localhost', description: 'The host (and port) the deployment serves.' } },
      },
      local: {
        host: 'localhost:{port}',
        protocol: 'ws',
        pathname: '/socket.io/',
        title: 'A node on this machine',
        variables: { port: { default: '3001', description: 'PORT' } },
      },
    },
    channels: {
      [CHANNEL]: {
        address: '/',
        title: 'The default namespace',
        description:
          'Every event travels in the default Socket.IO namespace of one connection. A client sends `HandshakeAuth` as the `auth` of the CONNECT packet; a refused handshake reaches it as `connect_error` with `ConnectErrorData` as `err.data`.',
        messages: Object.fromEntries(Object.keys(messages).map((key) => [key, { $ref: `#/components/messages/${key}` }])),
        bindings: {
          ws: {
            method: 'GET',
            query: {
              type: 'object',
              description: "Engine.IO's handshake query, set by any Socket.IO v4 client.",
              properties: { EIO: { type: 'string', const: '4' }, transport: { type: 'string', enum: ['polling', 'websocket'] } },
            },
            bindingVersion: '0.1.0',
          },
        },
        'x-socketio': { version: 4, namespace: '/', path: '/socket.io/', auth: ref('HandshakeAuth'), connectError: ref('ConnectErrorData') },
      },
    },
    operations,
    components: { messages },
  };
  document.components.schemas = pruneSchemas(document, { ...schemas, ...payloads });
  return document;
}

module.exports = { asyncApiDocument };
