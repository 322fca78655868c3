/**
 * The rules and age gate, the content filters, the early-link hold and the
 * handshake's proof of work on single nodes (memory store).
 */
import type { MessageEvent, RulesResponse } from '../../src/protocol';
import { connect, disconnectAll, next, request, type Client } from '../helpers/clients';
import { startNode, type RunningNode } from '../../testkit/nodes';
import { solveFrom } from '../helpers/pow';

let gated: RunningNode;
let open: RunningNode;
let pow: RunningNode;
let rulesVersion: string;

beforeAll(async () => {
  gated = await startNode({
    RULES_GATE: 'on',
    MIN_AGE: '21',
    ROOMS: 'general',
    CHAT_CONTENT_FILTER: 'mask',
    ROOM_CONTENT_FILTER: 'block',
    LINK_DELAY_MS: '800',
    MATCH_COOLDOWN_MS: '0',
    RESUME_GRACE_MS: '0',
  });
  open = await startNode({ ROOMS: 'general', CHAT_CONTENT_FILTER: 'block', MATCH_COOLDOWN_MS: '0', RESUME_GRACE_MS: '0' });
  pow = await startNode({ POW_DIFFICULTY: '500', SESSION_SECRET: 'a-test-secret-of-enough-length' });
  rulesVersion = ((await (await fetch(`${gated.url}/api/config`)).json()) as { rulesVersion: string }).rulesVersion;
});
afterEach(() => disconnectAll());
afterAll(async () => {
  await Promise.all([gated.close(), open.close(), pow.close()]);
});

const accept = (client: Client) => request(client, 'accept-rules', { version: rulesVersion, ageConfirmed: true });

async function pairOn(node: RunningNode): Promise<[Client, Client]> {
  const a = await connect(node.url);
  const b = await connect(node.url);
  if (node === gated) await Promise.all([accept(a), accept(b)]);
  const matched = next(b, 'matched');
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  await matched;
  return [a, b];
}

describe('rules and age gate', () => {
  test('/api/config names the rules version and minimum age; /rules serves the text as a page and as JSON', async () => {
    const config = await (await fetch(`${gated.url}/api/config`)).json();
    expect(config).toMatchObject({ rulesGate: true, rulesVersion: expect.stringMatching(/^[a-f0-9]{12}$/), minAge: 21, pow: false });
    const page = await fetch(`${gated.url}/rules`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<h1>parley rules</h1>');
    expect(html).toContain('Minimum age: 21');
    const json = await (await fetch(`${gated.url}/rules`, { headers: { accept: 'application/json' } })).json();
    expect(json).toMatchObject({ version: rulesVersion, minAge: 21, blocks: expect.arrayContaining([{ kind: 'heading', level: 1, text: 'parley rules' }]) });
    // Every node of a build serves the same version.
    expect(((await (await fetch(`${open.url}/api/config`)).json()) as { rulesVersion: string }).rulesVersion).toBe(rulesVersion);
  });

  test('/rules speaks the reader\'s language with its own version, and accept-rules takes it', async () => {
    const json = { accept: 'application/json' };
    const german = (await (await fetch(`${gated.url}/rules`, { headers: { ...json, 'accept-language': 'de-DE,de;q=0.9' } })).json()) as RulesResponse;
    expect(german).toMatchObject({ language: 'de', minAge: 21, blocks: expect.arrayContaining([{ kind: 'heading', level: 1, text: 'parley-Regeln' }]) });
    expect(german.version).toMatch(/^[a-f0-9]{12}$/);
    expect(german.version).not.toBe(rulesVersion);
    const arabic = await fetch(`${gated.url}/rules?lang=ar`);
    expect(arabic.headers.get('content-language')).toBe('ar');
    const arabicPage = await arabic.text();
    expect(arabicPage).toContain('<html lang="ar" dir="rtl">');
    expect(arabicPage).toContain('<title>قواعد parley</title>');
    expect(arabicPage).toContain('الحد الأدنى للعمر: 21');
    const client = await connect(gated.url);
    expect(await request(client, 'accept-rules', { version: german.version, ageConfirmed: true })).toEqual({ ok: true });
    expect(await request(client, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  });

  test('searching, skipping, joining and creating rooms wait for accept-rules', async () => {
    const client = await connect(gated.url);
    for (const [event, payload] of [
      ['find-match', {}],
      ['next-match', {}],
      ['room-join', { code: 'general' }],
      ['room-create', { title: 'Jazz', visibility: 'public' }],
    ] as const) {
      const refused = await request(client, event, payload);
      expect(refused).toEqual({ ok: false, error: { code: 'RULES_NOT_ACCEPTED', message: expect.stringContaining('21') } });
    }
    // Events that need no gate still work.
    expect(await request(client, 'cancel-match', {})).toEqual({ ok: true });
    expect(await accept(client)).toEqual({ ok: true });
    expect(await request(client, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
    expect(await request(client, 'room-join', { code: 'general' })).toMatchObject({ ok: true });
  });

  test('the acceptance belongs to the identity: it holds after a reconnect with the token', async () => {
    const first = await connect(gated.url);
    await accept(first);
    const token = first.session.token;
    first.disconnect();
    const again = await connect(gated.url, { token });
    expect(await request(again, 'find-match', {})).toMatchObject({ ok: true });
    const stranger = await connect(gated.url);
    expect(await request(stranger, 'find-match', {})).toMatchObject({ ok: false, error: { code: 'RULES_NOT_ACCEPTED' } });
  });

  test('bad accept-rules payloads are INVALID_PAYLOAD; an outdated version is RULES_NOT_ACCEPTED', async () => {
    const client = await connect(gated.url);
    for (const payload of [
      {},
      { version: rulesVersion },
      { version: rulesVersion, ageConfirmed: false },
      { version: rulesVersion, ageConfirmed: 'true' },
      { version: rulesVersion, ageConfirmed: 1 },
      { version: 42, ageConfirmed: true },
      { version: '', ageConfirmed: true },
      { version: '<script>', ageConfirmed: true },
      { version: 'a'.repeat(65), ageConfirmed: true },
      { version: rulesVersion, ageConfirmed: true, age: 30 },
      [rulesVersion],
      'accept',
      null,
    ]) {
      expect(await request(client, 'accept-rules', payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    const outdated = await request(client, 'accept-rules', { version: 'abcdef012345', ageConfirmed: true });
    expect(outdated).toMatchObject({ ok: false, error: { code: 'RULES_NOT_ACCEPTED', message: expect.stringContaining('changed') } });
    expect(await request(client, 'find-match', {})).toMatchObject({ ok: false, error: { code: 'RULES_NOT_ACCEPTED' } });
  });

  test('with RULES_GATE=off nobody is asked, and accept-rules still answers', async () => {
    const client = await connect(open.url);
    expect(await request(client, 'find-match', {})).toMatchObject({ ok: true });
    expect(await request(client, 'accept-rules', { version: rulesVersion, ageConfirmed: true })).toEqual({ ok: true });
  });
});

describe('content filter', () => {
  test('mask: the partner receives asterisks and the sender learns the masked text', async () => {
    const [a, b] = await pairOn(gated);
    const got = next<MessageEvent>(b, 'message');
    const ack = await request(a, 'send-message', { text: 'you are a fucking genius' });
    expect(ack).toMatchObject({ ok: true, message: { text: 'you are a ****ing genius' } });
    expect((await got).text).toBe('you are a ****ing genius');
    const clean = await request<{ message: object }>(a, 'send-message', { text: 'sorry' });
    expect(clean.ok && clean.message).not.toHaveProperty('text');
  });

  test('block: a one-to-one message with a listed word is refused and never relayed', async () => {
    const [a, b] = await pairOn(open);
    const got = next<MessageEvent>(b, 'message');
    expect(await request(a, 'send-message', { text: 'shit' })).toMatchObject({ ok: false, error: { code: 'CONTENT_BLOCKED' } });
    await request(a, 'send-message', { text: 'fine words' });
    expect((await got).text).toBe('fine words');
  });

  test('rooms: ROOM_CONTENT_FILTER=block refuses, the default masks', async () => {
    const host = await connect(gated.url);
    await accept(host);
    await request(host, 'room-join', { code: 'general' });
    expect(await request(host, 'room-message', { code: 'general', text: 'fuck this' })).toMatchObject({
      ok: false,
      error: { code: 'CONTENT_BLOCKED' },
    });

    const speaker = await connect(open.url);
    const listener = await connect(open.url);
    await request(speaker, 'room-join', { code: 'general' });
    await request(listener, 'room-join', { code: 'general' });
    const heard = next<{ text: string }>(listener, 'room-message');
    const ack = await request(speaker, 'room-message', { code: 'general', text: 'what a dick move' });
    expect(ack).toMatchObject({ ok: true, message: { text: 'what a **** move' } });
    expect((await heard).text).toBe('what a **** move');
    const history = await request<{ messages: { text: string }[] }>(listener, 'room-join', { code: 'general' });
    expect(history.ok && history.messages.map((m) => m.text)).toContain('what a **** move');
  });
});

describe('links early in a chat', () => {
  test('are refused for LINK_DELAY_MS, then go through; plain text always does', async () => {
    const [a, b] = await pairOn(gated);
    const refused = await request(a, 'send-message', { text: 'free stuff at t.me/spam' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'LINK_NOT_ALLOWED' } });
    expect(await request(a, 'send-message', { text: 'hello' })).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 900));
    const got = next<MessageEvent>(b, 'message');
    expect(await request(a, 'send-message', { text: 'my site: example.com' })).toMatchObject({ ok: true });
    expect((await got).text).toBe('my site: example.com');
  });

  test('hold on by default for 30 s', async () => {
    const [a] = await pairOn(open);
    expect(await request(a, 'send-message', { text: 'https://example.org' })).toMatchObject({
      ok: false,
      error: { code: 'LINK_NOT_ALLOWED', message: expect.stringMatching(/try again in (29|30) s/) },
    });
  });
});

describe('proof of work at the handshake', () => {
  const refusal = (url: string, options = {}) =>
    connect(url, options).then(
      () => null,
      (err: Error & { data?: unknown }) => err.data,
    );

  test('a new identity without a solution is refused with POW_REQUIRED in connect_error data', async () => {
    expect(await refusal(pow.url)).toEqual({ code: 'POW_REQUIRED', message: expect.any(String) });
    expect(await refusal(pow.url, { pow: 'garbage' })).toMatchObject({ code: 'POW_REQUIRED' });
  });

  test('a solved challenge admits a new identity once; its token then needs no more work', async () => {
    const challenge = await fetch(`${pow.url}/api/challenge`);
    expect(challenge.headers.get('cache-control')).toBe('no-store');
    expect(await challenge.json()).toMatchObject({ algorithm: 'SHA-256', maxnumber: 500, salt: expect.stringContaining('expires=') });

    const solution = await solveFrom(pow.url);
    const client = await connect(pow.url, { pow: solution });
    expect(client.session.token).toEqual(expect.any(String));
    expect(await refusal(pow.url, { pow: solution })).toMatchObject({ code: 'POW_REQUIRED', message: expect.stringContaining('already used') });
    client.disconnect();
    const back = await connect(pow.url, { token: client.session.token });
    expect(back.session.userId).toBe(client.session.userId);
  });

  test('with POW_DIFFICULTY=0 there is no challenge and no check', async () => {
    expect((await fetch(`${open.url}/api/challenge`)).status).toBe(404);
    await expect(connect(open.url)).resolves.toBeDefined();
  });
});
