/**
 * The safety pieces of the web client without a browser: the report's payload,
 * note limit, wording and window; reading a ban off a refused handshake; the
 * chat controller stopping on BANNED; and the operator console's ordering,
 * labels, API failures (401, 429) and token storage.
 */
import type { ParleyClient, Requests } from '../../web/src/app/connection';
import { createChatController } from '../../web/src/chat/chat-controller';
import { createMessageLog } from '../../web/src/chat/message-log';
import { ParleyError } from '@parley/client';
import { banOf, banText } from '../../web/src/moderation/banned';
import { NOTE_MAX, REASONS, buildReport, canReportChat, confirmationText, noteCounter } from '../../web/src/moderation/report';
import { DEFAULT_SETTINGS } from '../../web/src/app/settings';
import { createStore } from '../../web/src/app/state';
import { createAdminApi, failureOf } from '../../web/src/admin/api';
import { authorLabel, banStatus, describeAudit, formatAge, roomMessageOf, sortQueue } from '../../web/src/admin/queue';
import { sessionToken } from '../../web/src/admin/token';
import type { Ban, Report, ReportGroup } from '../../src/protocol';

const report = (id: string, createdAt: number, extra: Partial<Report> = {}): Report => ({
  id,
  reporterId: `r-${id}`,
  reporterIpHash: `net-${id}`,
  targetId: 't1',
  kind: 'chat',
  context: {},
  reason: 'spam',
  note: null,
  evidence: [],
  targetIpHash: null,
  createdAt,
  status: 'open',
  resolution: null,
  ...extra,
});

const group = (targetId: string, reports: Report[]): ReportGroup => ({
  targetId,
  reporterCount: reports.length,
  reporterAddresses: reports.length,
  sharedAddress: false,
  independentReporters: reports.length,
  suspended: false,
  reports,
  earlierReports: [],
  bans: [],
});

describe('report', () => {
  test('needs a reason, trims the note and leaves an empty note out', () => {
    expect(buildReport({ kind: 'chat' }, null, 'x')).toEqual({ ok: false, problem: 'Pick what happened.' });
    expect(buildReport({ kind: 'chat' }, 'made-up', '')).toMatchObject({ ok: false });
    expect(buildReport({ kind: 'chat' }, 'hate', '   ')).toEqual({ ok: true, payload: { target: { kind: 'chat' }, reason: 'hate' } });
    expect(buildReport({ kind: 'room', code: 'abc', seq: 7, name: 'Ann', text: 'hi' }, 'spam', ' buy now ')).toEqual({
      ok: true,
      payload: { target: { kind: 'room', code: 'abc', seq: 7 }, reason: 'spam', note: 'buy now' },
    });
    expect(buildReport({ kind: 'dm', contactId: 'c1', id: 'm1', name: 'Bo', text: 'hey' }, 'other', '')).toMatchObject({
      ok: true,
      payload: { target: { kind: 'dm', contactId: 'c1', id: 'm1' } },
    });
  });

  test('refuses a note over the limit and counts it', () => {
    expect(buildReport({ kind: 'chat' }, 'spam', 'x'.repeat(NOTE_MAX + 1))).toMatchObject({ ok: false });
    expect(buildReport({ kind: 'chat' }, 'spam', 'x'.repeat(NOTE_MAX))).toMatchObject({ ok: true });
    expect(noteCounter('hello')).toEqual({ text: `5 / ${NOTE_MAX}`, over: false });
    expect(noteCounter('x'.repeat(NOTE_MAX + 3))).toEqual({ text: `3 over the ${NOTE_MAX} limit`, over: true });
  });

  test('offers every reason the protocol knows, once', () => {
    expect(REASONS.map((r) => r.value).sort()).toEqual(['harassment', 'hate', 'minor-safety', 'other', 'sexual', 'spam']);
  });

  test('a chat report says the partner is blocked; others that the report was sent', () => {
    expect(confirmationText({ kind: 'chat' }).text).toContain('blocked');
    expect(confirmationText({ kind: 'room', code: 'a', seq: 1, name: 'Ann', text: '' }).title).toBe('Report sent');
  });

  test('the last partner can be reported during the chat and for the window after it', () => {
    expect(canReportChat(true, null, 0, 600_000)).toBe(true);
    expect(canReportChat(false, null, 0, 600_000)).toBe(false);
    expect(canReportChat(false, 1000, 1000 + 599_999, 600_000)).toBe(true);
    expect(canReportChat(false, 1000, 1000 + 600_000, 600_000)).toBe(false);
  });
});

describe('ban', () => {
  test('is read off a refused handshake only when the code is BANNED', () => {
    expect(banOf({ message: 'x', data: { code: 'BANNED', until: 1234 } })).toEqual({ until: 1234 });
    expect(banOf({ data: { code: 'BANNED', until: null } })).toEqual({ until: null });
    expect(banOf({ data: { code: 'POW_REQUIRED' } })).toBeNull();
    expect(banOf(new Error('xhr poll error'))).toBeNull();
    expect(banOf(undefined)).toBeNull();
  });

  test('is read off the client’s refusal (a ParleyError with the ban’s until)', () => {
    expect(banOf(new ParleyError('BANNED', 'banned', { until: 99 }))).toEqual({ until: 99 });
    expect(banOf(new ParleyError('BANNED', 'banned', { until: null }))).toEqual({ until: null });
    expect(banOf(new ParleyError('POW_REQUIRED', 'solve', {}))).toBeNull();
  });

  test('is put in words: until when, permanently, over, or not known yet', () => {
    const now = Date.UTC(2026, 10, 28, 12, 0);
    expect(banText({ until: null }, now).headline).toContain('permanently');
    const week = banText({ until: now + 7 * 86_400_000 }, now, 'en-GB');
    expect(week.headline).toMatch(/until 5 December 2026/);
    expect(week.over).toBe(false);
    expect(banText({ until: now - 1 }, now).over).toBe(true);
    expect(banText({}, now).headline).toBe('You’ve been banned from parley.');
  });
});

describe('chat controller on BANNED', () => {
  /** The page's client, with server events fired by hand and reconnect() recorded. */
  function fakeClient() {
    const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
    const calls: string[] = [];
    const client = {
      connected: true,
      on(event: string, fn: (...args: unknown[]) => void) {
        handlers.set(event, [...(handlers.get(event) ?? []), fn]);
        return client;
      },
      reconnect: () => calls.push('reconnect'),
    };
    const fire = (event: string, payload?: unknown) => handlers.get(event)?.forEach((fn) => fn(payload));
    return { client: client as unknown as ParleyClient, fire, calls };
  }
  const api = {} as Requests;
  const bannedError = (until: number | null) => new ParleyError('BANNED', 'banned', { until });

  test('a refused handshake shows the ban and never reconnects', () => {
    const { client, fire, calls } = fakeClient();
    const store = createStore();
    createChatController(client, api, store, createMessageLog(), { ...DEFAULT_SETTINGS });
    fire('connect_error', bannedError(99));
    fire('closed', { error: bannedError(99) });
    expect(store.get()).toMatchObject({ link: 'banned', ban: { until: 99 } });
    fire('disconnect', { reason: 'io client disconnect' });
    expect(store.get().link).toBe('banned');
    expect(calls).toEqual([]);
  });

  test('banned while connected: the chat ends, and one more handshake learns for how long', () => {
    const { client, fire, calls } = fakeClient();
    const store = createStore();
    createChatController(client, api, store, createMessageLog(), { ...DEFAULT_SETTINGS });
    fire('connect');
    fire('matched', { roomId: 'r1', commonInterests: [], startedAt: 1 });
    fire('error', { code: 'BANNED', message: 'banned' });
    expect(store.get()).toMatchObject({ link: 'banned', phase: 'idle', room: null, ban: {} });
    fire('closed', { error: new ParleyError('BANNED', 'banned') });
    expect(calls).toEqual(['reconnect']);
    fire('connect_error', bannedError(null));
    fire('closed', { error: bannedError(null) });
    expect(store.get().ban).toEqual({ until: null });
    expect(calls).toEqual(['reconnect']);
  });

  test('another refusal shows reconnecting and leaves the retry to the client', () => {
    const { client, fire, calls } = fakeClient();
    const store = createStore();
    createChatController(client, api, store, createMessageLog(), { ...DEFAULT_SETTINGS });
    fire('connect');
    fire('connect_error', new ParleyError('UNAVAILABLE', 'try later', {}));
    expect(store.get().link).toBe('reconnecting');
    expect(calls).toEqual([]);
  });
});

describe('operator console', () => {
  test('the queue is oldest first, and each group’s reports too', () => {
    const sorted = sortQueue([
      group('new', [report('a', 50)]),
      group('old', [report('b', 30), report('c', 10)]),
    ]);
    expect(sorted.map((g) => g.targetId)).toEqual(['old', 'new']);
    expect(sorted[0]!.reports.map((r) => r.id)).toEqual(['c', 'b']);
  });

  test('labels evidence from the operator’s side and finds a room report’s message', () => {
    expect(authorLabel({ author: 'reported', text: '', sentAt: 0 })).toBe('Reported user');
    expect(authorLabel({ author: 'other', name: 'Ann', text: '', sentAt: 0 })).toBe('Other (Ann)');
    expect(roomMessageOf(report('r', 0, { kind: 'room', context: { code: 'jazz', seq: 12 } }))).toEqual({ code: 'jazz', seq: 12 });
    expect(roomMessageOf(report('r', 0))).toBeNull();
  });

  test('words bans, ages and audit entries', () => {
    const ban: Ban = { id: 'b', kind: 'identity', subject: 'u', until: null, reason: 'spam', reportId: null, createdAt: 0, liftedAt: null, addressHash: null };
    expect(banStatus(ban, 1)).toBe('Forever');
    expect(banStatus({ ...ban, until: 5 }, 10)).toMatch(/^Ended/);
    expect(banStatus({ ...ban, liftedAt: 3 }, 10)).toMatch(/^Lifted/);
    expect(formatAge(0, 30_000)).toBe('just now');
    expect(formatAge(0, 5 * 60_000)).toBe('5 min ago');
    expect(formatAge(0, 2 * 86_400_000)).toBe('2 days ago');
    expect(describeAudit({ at: 0, action: 'report.ban', actor: 'x', detail: { reportId: 'r1', targetId: 'u1', bans: [{ kind: 'ip', until: null }] } }))
      .toBe('Banned u1 (address forever) on report r1');
    expect(describeAudit({ at: 0, action: 'room.delete-message', actor: 'x', detail: { code: 'jazz', seq: 3 } })).toBe('Deleted message #3 in room jazz');
    expect(describeAudit({ at: 0, action: 'room.read-history', actor: 'x', detail: { code: 'jazz', limit: 50 } })).toBe('Read the history of room jazz');
    expect(describeAudit({ at: 0, action: 'report.view-frame', actor: 'x', detail: { reportId: 'r9' } })).toBe('Viewed the still frame the reporter attached to report r9');
    expect(describeAudit({ at: 0, action: 'suspension.lift', actor: 'system', detail: { targetId: 'u1', reporters: 3, independent: 1 } })).toBe(
      'Lifted the suspension of u1: 1 independent of 3 reporters',
    );
  });

  test('the API sends the bearer token and turns 401 and 429 into actions', async () => {
    const seen: RequestInit[] = [];
    const responses = [
      new Response(JSON.stringify({ groups: [] }), { status: 200 }),
      new Response(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'no' } }), { status: 401 }),
      new Response('{}', { status: 429, headers: { 'retry-after': '12' } }),
      new Response(null, { status: 204 }),
    ];
    const api = createAdminApi(() => 'tok', async (_url, init) => {
      seen.push(init ?? {});
      return responses.shift()!;
    });
    expect(await api.queue()).toEqual({ ok: true, data: { groups: [] } });
    expect((seen[0]!.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(await api.bans()).toMatchObject({ ok: false, kind: 'unauthorized' });
    expect(await api.audit()).toMatchObject({ ok: false, kind: 'rate-limited', retryAfterS: 12 });
    expect(await api.liftBan('b1')).toEqual({ ok: true, data: undefined });
    expect(seen[3]!.method).toBe('DELETE');
    const offline = createAdminApi(() => 'tok', () => Promise.reject(new Error('offline')));
    expect(await offline.queue()).toMatchObject({ ok: false, kind: 'unavailable' });
  });

  test('a report frame is read with the token as a JPEG data URL, and refused when the answer is not a JPEG', async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xd9]);
    const seen: { url: string; init: RequestInit }[] = [];
    const responses = [
      new Response(jpeg, { headers: { 'content-type': 'image/jpeg' } }),
      new Response('<script>', { headers: { 'content-type': 'text/html' } }),
      new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'That report has no frame.' } }), { status: 404 }),
    ];
    const api = createAdminApi(() => 'tok', async (url, init) => {
      seen.push({ url, init: init ?? {} });
      return responses.shift()!;
    });
    expect(await api.frame('r/1')).toEqual({ ok: true, data: `data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}` });
    expect(seen[0]!.url).toBe('/api/admin/reports/r%2F1/frame');
    expect((seen[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(await api.frame('r1')).toMatchObject({ ok: false, kind: 'unavailable' });
    expect(await api.frame('r1')).toEqual({ ok: false, kind: 'not-found', message: 'That report has no frame.' });
  });

  test('a refused action keeps the server’s reason', async () => {
    const failure = await failureOf(new Response(JSON.stringify({ error: { code: 'NOT_ALLOWED', message: 'That report is already closed.' } }), { status: 409 }));
    expect(failure).toEqual({ ok: false, kind: 'refused', message: 'That report is already closed.' });
  });

  test('the token is kept per tab and can be forgotten', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
    const tokens = sessionToken(storage);
    expect(tokens.read()).toBeNull();
    tokens.save('abc');
    expect(tokens.read()).toBe('abc');
    tokens.clear();
    expect(tokens.read()).toBeNull();
  });
});
