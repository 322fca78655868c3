// The OpenAPI 3.1 document of the HTTP routes: bodies from the protocol's
// types (src/protocol/http-api.ts, admin-api.ts, rooms.ts), query strings,
// route parameters and request bodies from the zod schemas the routes parse.
const { pruneSchemas, ref, zodSchema } = require('./schemas');

const json = (schema) => ({ 'application/json': { schema } });
const answer = (description, name) => (name ? { description, content: json(ref(name)) } : { description });
const ERRORS = {
  400: 'INVALID_PAYLOAD: a malformed query or body.',
  401: 'UNAUTHORIZED: no valid operator token.',
  403: 'NOT_IN_ROOM: a private room, and no identity token of a member.',
  404: 'Nothing there (ROOM_NOT_FOUND; NOT_FOUND on the operator API).',
  409: 'The request conflicts with what is stored (a report already closed, …).',
  429: 'RATE_LIMITED: too many requests (Retry-After says when to come back).',
  503: 'UNAVAILABLE: the store does not answer; try again.',
};
const errors = (...statuses) => Object.fromEntries(statuses.map((s) => [s, answer(ERRORS[s], 'HttpError')]));

/** Query or path parameters from the properties of a zod object. */
function parameters(where, schema) {
  const json = zodSchema(schema);
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/**
 * @param {object} input
 * @param {string} input.version the package's version
 * @param {Record<string, object>} input.schemas the protocol's component schemas
 * @param {object} input.http the zod schemas of the routes (see contract/index.js)
 */
function openApiDocument({ version, schemas, http }) {
  const { z } = require('zod');
  const code = parameters('path', z.object({ code: http.roomMessage.shape.code }));
  const id = parameters('path', z.object({ id: http.ID }));
  const operator = { security: [{ operatorToken: [] }], tags: ['operator'] };
  const admin = (summary, responses, extra = {}) => ({ summary, ...operator, ...extra, responses: { ...responses, ...errors(401, 429, 503) } });
  const deleted = (what) => ({ 204: { description: `${what} is gone.` }, ...errors(404) });

  const paths = {
    '/api/config': { get: { summary: 'Limits and what the safety gate asks', tags: ['client'], responses: { 200: answer('The configuration.', 'ClientConfigResponse') } } },
    '/api/challenge': {
      get: {
        summary: 'A proof-of-work challenge for a new identity',
        tags: ['client'],
        responses: { 200: answer('A fresh challenge.', 'ChallengeResponse'), 404: answer('Proof of work is off.', 'ChallengeOffResponse') },
      },
    },
    '/rules': {
      get: {
        summary: 'The rules a user accepts',
        tags: ['client'],
        responses: {
          200: { description: 'JSON for `Accept: application/json`, else an HTML page.', content: { ...json(ref('RulesResponse')), 'text/html': { schema: { type: 'string' } } } },
        },
      },
    },
    '/api/rooms': {
      get: {
        summary: 'A page of the public rooms',
        tags: ['rooms'],
        parameters: parameters('query', http.listQuery),
        responses: { 200: answer('The page (a copy at most ROOMS_LIST_CACHE_MS old).', 'RoomListPage'), ...errors(400, 503) },
      },
    },
    '/api/rooms/{code}': {
      get: { summary: 'One room', tags: ['rooms'], parameters: code, responses: { 200: answer('The room.', 'RoomResponse'), ...errors(404, 503) } },
    },
    '/api/rooms/{code}/messages': {
      get: {
        summary: "A page of a room's history, oldest first",
        description: "A private room's history needs `Authorization: Bearer <identity token>` of a current member; a public room's is open to all.",
        tags: ['rooms'],
        parameters: [...code, ...parameters('query', http.pageQuery)],
        security: [{}, { identityToken: [] }],
        responses: { 200: answer('The page.', 'RoomHistoryPage'), ...errors(400, 403, 404, 503) },
      },
    },
    '/health': {
      get: {
        summary: 'Liveness',
        tags: ['operations'],
        responses: { 200: answer('The node and its store answer.', 'HealthResponse'), 503: answer('The store does not answer.', 'HealthResponse') },
      },
    },
    '/health/ready': {
      get: {
        summary: 'Readiness for new clients',
        tags: ['operations'],
        responses: { 200: answer('Ready.', 'ReadinessResponse'), 503: answer('Draining, or the store does not answer.', 'ReadinessResponse') },
      },
    },
    '/stats': {
      get: { summary: 'Cluster-wide presence and each node', tags: ['operations'], responses: { 200: answer('The figures.', 'StatsResponse'), ...errors(503) } },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics',
        tags: ['operations'],
        responses: { 200: { description: "Prometheus' text format.", content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    '/api/admin/reports': {
      get: admin('The report queue, grouped by reported identity', { 200: answer('The groups.', 'ReportQueueResponse'), ...errors(400) }, { parameters: parameters('query', http.statusQuery) }),
    },
    '/api/admin/reports/{id}': { get: admin('One report and its group', { 200: answer('The report.', 'ReportResponse'), ...errors(404) }, { parameters: id }) },
    '/api/admin/reports/{id}/frame': {
      get: admin(
        "The still frame the reporter attached (supplied by the reporter, not verified by parley); each view is audited",
        {
          200: { description: 'The JPEG, with `X-Content-Type-Options: nosniff` and a sandboxing CSP.', content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } },
          ...errors(404),
        },
        { parameters: id },
      ),
    },
    '/api/admin/reports/{id}/resolve': {
      post: admin(
        'Closes a report: dismissed, or with a ban',
        { 200: answer('The closed report and the bans it made.', 'ResolveResponse'), ...errors(400, 404, 409) },
        { parameters: id, requestBody: { required: true, content: json(zodSchema(http.resolveBody)) } },
      ),
    },
    '/api/admin/bans': { get: admin('The bans in force', { 200: answer('The bans.', 'BansResponse') }) },
    '/api/admin/bans/{id}': { delete: admin('Lifts a ban', deleted('The ban'), { parameters: id }) },
    '/api/admin/audit': {
      get: admin('The audit log, newest first', { 200: answer('The entries.', 'AuditResponse'), ...errors(400) }, { parameters: parameters('query', http.auditQuery) }),
    },
    '/api/admin/rooms': { get: admin('Every room, most open reports first', { 200: answer('The rooms.', 'RoomsResponse') }) },
    '/api/admin/rooms/{code}': { delete: admin('Removes a room; its members are told', deleted('The room'), { parameters: code }) },
    '/api/admin/rooms/{code}/messages': {
      get: admin(
        "A page of any room's history (audited)",
        { 200: answer('The page.', 'RoomHistoryPage'), ...errors(400, 404) },
        { parameters: [...code, ...parameters('query', http.pageQuery)] },
      ),
    },
    '/api/admin/rooms/{code}/messages/{seq}': {
      delete: admin('Deletes a message of the recent window', deleted('The message'), { parameters: parameters('path', http.roomMessage) }),
    },
  };

  // A route without a description of its own is described by the TSDoc of the type it answers with.
  for (const operation of Object.values(paths).flatMap((item) => Object.values(item))) {
    const answered = operation.responses[200]?.content?.['application/json']?.schema?.$ref;
    const described = answered && schemas[answered.slice('#/components/schemas/'.length)]?.description;
    if (!operation.description && described) operation.description = described;
  }

  const document = {
    openapi: '3.1.0',
    info: {
      title: 'parley HTTP API',
      version,
      description:
        'The HTTP routes of a parley node. The realtime protocol is in asyncapi.yaml beside this file. The operator routes (`/api/admin/…`) exist only with ADMIN_TOKEN set.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '{origin}', variables: { origin: { default: 'http://localhost:3001', description: 'The deployment’s origin.' } } }],
    tags: [
      { name: 'client', description: 'What a client reads before it connects.' },
      { name: 'rooms', description: 'Topic rooms.' },
      { name: 'operations', description: 'Health and figures for operators and load balancers.' },
      { name: 'operator', description: 'The operator console’s API (docs/moderation.md).' },
    ],
    paths,
    components: {
      securitySchemes: {
        identityToken: { type: 'http', scheme: 'bearer', description: 'The token of the `session` event.' },
        operatorToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN.' },
      },
    },
  };
  document.components.schemas = pruneSchemas(document, schemas);
  return document;
}

module.exports = { openApiDocument };
