/**
 * The operator API's gate counts only wrong tokens against an address, lets
 * the right token through even while that address is locked out, and reads
 * the Bearer scheme case-insensitively. The TLS-only headers (HSTS and the
 * CSP's upgrade-insecure-requests) are sent only on requests that came over
 * HTTPS, so a plain-HTTP deployment keeps working.
 */
import { startNode, type RunningNode } from '../../testkit/nodes';

const TOKEN = 'an-operator-token-of-at-least-32-chars';
let node: RunningNode;

beforeAll(async () => {
  // One proxy in front, so each test speaks for a client address of its own.
  node = await startNode({ ADMIN_TOKEN: TOKEN, TRUST_PROXY: '1' });
});
afterAll(async () => node?.close());

let clients = 0;
const nextClient = () => `203.0.113.${++clients}`;

async function status(client: string, init: RequestInit & { authorization?: string } = {}): Promise<number> {
  const { authorization, ...rest } = init;
  const res = await fetch(`${node.url}/api/admin/reports`, {
    ...rest,
    headers: { 'x-forwarded-for': client, ...(authorization ? { authorization } : {}) },
  });
  await res.arrayBuffer();
  return res.status;
}

async function repeat(times: number, attempt: () => Promise<number>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push(await attempt());
  return statuses;
}

test('the right token is let through from an address locked out by wrong ones', async () => {
  const shared = nextClient();
  const wrong = await repeat(12, () => status(shared, { authorization: 'Bearer not-the-operator-token' }));
  expect(wrong).toEqual([...Array(10).fill(401), 429, 429]);
  expect(await status(shared, { authorization: `Bearer ${TOKEN}` })).toBe(200);
  // Wrong tokens stay refused until the lockout ends.
  expect(await status(shared, { authorization: 'Bearer still-not-the-operator-token' })).toBe(429);
});

test('CORS preflights and requests without a token do not count as failures', async () => {
  const client = nextClient();
  const preflights = await repeat(12, () =>
    status(client, { method: 'OPTIONS', headers: { origin: 'https://console.example', 'access-control-request-method': 'GET' } } as RequestInit),
  );
  expect(preflights.every((s) => s !== 429)).toBe(true);
  expect(await repeat(12, () => status(client))).toEqual(Array(12).fill(401));
  // Ten wrong tokens still fit: nothing before them counted.
  const wrong = await repeat(11, () => status(client, { authorization: 'Bearer not-the-operator-token' }));
  expect(wrong).toEqual([...Array(10).fill(401), 429]);
});

test('the Bearer scheme is matched case-insensitively', async () => {
  const client = nextClient();
  for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
    expect(await status(client, { authorization: `${scheme} ${TOKEN}` })).toBe(200);
  }
  expect(await status(client, { authorization: `Basic ${TOKEN}` })).toBe(401);
});

test('HSTS and upgrade-insecure-requests only on requests that came over HTTPS', async () => {
  for (const path of ['/health', '/', '/admin']) {
    const plain = await fetch(`${node.url}${path}`);
    await plain.arrayBuffer();
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(plain.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(plain.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);

    const secure = await fetch(`${node.url}${path}`, { headers: { 'x-forwarded-proto': 'https' } });
    await secure.arrayBuffer();
    expect(secure.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(secure.headers.get('content-security-policy')).toMatch(/upgrade-insecure-requests/);
  }
});
