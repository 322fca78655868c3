/**
 * Video chats on two nodes sharing Redis: video seekers meet only video
 * seekers, the call's signalling and camera/microphone state reach the
 * partner — and only the partner — across nodes, bad signalling is refused
 * before anything is relayed, the call ends into a text chat that goes on,
 * and a resumed video chat carries a fresh call with the same initiator.
 */
import type { CallSignalEvent, CallStateEvent, MatchedEvent, MessageEvent, OnlineCountEvent, Report, ResumedEvent, StatsResponse } from '../../src/protocol';
import { connect, eventually, next, quietFor, record, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const TURN_SECRET = 'the-turn-secret-of-this-test';
const ADMIN = 'an-operator-token-of-at-least-32-characters';
const SIGNAL_LIMIT = 40;
const cluster = useCluster(
  {
    TURN_URLS: 'turn:127.0.0.1:3478?transport=udp',
    TURN_SECRET,
    STUN_URLS: 'stun:127.0.0.1:3478',
    CALL_SIGNAL_RATE_LIMIT: String(SIGNAL_LIMIT),
    RESUME_GRACE_MS: '3000',
    ADMIN_TOKEN: ADMIN,
  },
  2,
);

const OFFER = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n';
const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

interface Pair {
  a: Client;
  b: Client;
  am: MatchedEvent;
  bm: MatchedEvent;
}

/** Two clients, on node 1 and node 2, paired in `mode`. */
async function pairOf(mode: 'text' | 'video'): Promise<Pair> {
  const a = await connect(cluster.urls[0]!);
  const b = await connect(cluster.urls[1]!);
  const [am, bm] = [next<MatchedEvent>(a, 'matched'), next<MatchedEvent>(b, 'matched')];
  await request(a, 'find-match', { mode });
  await request(b, 'find-match', { mode });
  return { a, b, am: await am, bm: await bm };
}

test('video and text seekers never meet: many at once on two nodes, each pairs within its mode', async () => {
  const seekers = await Promise.all(
    Array.from({ length: 24 }, async (_, i) => {
      const client = await connect(cluster.urls[i % 2]!);
      return { client, mode: i % 4 < 2 ? ('video' as const) : ('text' as const), matched: next<MatchedEvent>(client, 'matched', 20_000) };
    }),
  );
  await Promise.all(seekers.map(({ client, mode }) => request(client, 'find-match', mode === 'video' ? { mode } : {})));
  const rooms = new Map<string, { mode: string; event: MatchedEvent }[]>();
  for (const s of seekers) {
    const event = await s.matched;
    expect(event.mode).toBe(s.mode);
    rooms.set(event.roomId, [...(rooms.get(event.roomId) ?? []), { mode: s.mode, event }]);
  }
  expect(rooms.size).toBe(12);
  for (const sides of rooms.values()) {
    expect(sides).toHaveLength(2);
    expect(sides[0]!.mode).toBe(sides[1]!.mode);
    if (sides[0]!.mode === 'video') {
      // Exactly one initiator per video chat.
      expect(sides.map((s) => s.event.call!.initiator).sort()).toEqual([false, true]);
    } else {
      expect(sides.every((s) => s.event.call === undefined)).toBe(true);
    }
  }
}, 40_000);

test('a video search is counted apart: waiting event, online-count, /stats and /metrics', async () => {
  const watcher = await connect(cluster.urls[0]!);
  const seeker = await connect(cluster.urls[1]!);
  // Heard from before the search: the figures are pushed when they change, maybe before its ack.
  const counts = record<OnlineCountEvent>(watcher, 'online-count');
  const waiting = next(seeker, 'waiting');
  expect(await request(seeker, 'find-match', { mode: 'video', interests: ['Chess'] })).toEqual({ ok: true, state: 'waiting' });
  expect(await waiting).toEqual({ interests: ['chess'], mode: 'video' });
  await eventually(() => expect(counts.at(-1)).toMatchObject({ waiting: 1, waitingVideo: 1 }));
  for (const url of cluster.urls) {
    const stats = (await (await fetch(`${url}/stats`)).json()) as StatsResponse;
    expect(stats).toMatchObject({ waiting: 1, waitingVideo: 1, waitingByMode: { text: 0, video: 1 } });
  }
  const metrics = await (await fetch(`${cluster.urls[0]}/metrics`)).text();
  expect(metrics).toMatch(/parley_waiting_users_by_mode\{mode="video",node_id="[^"]+"\} 1/);
  expect(metrics).toMatch(/parley_waiting_users_by_mode\{mode="text",node_id="[^"]+"\} 0/);
  await request(seeker, 'cancel-match', {});
  await eventually(() => expect(counts.at(-1)).toMatchObject({ waiting: 0, waitingVideo: 0 }));
});

test('a video chat’s matched carries each user’s own TURN credentials and the STUN URLs', async () => {
  const { a, b, am, bm } = await pairOf('video');
  for (const [client, event] of [
    [a, am],
    [b, bm],
  ] as const) {
    const [turn, stun] = event.call!.iceServers;
    expect(turn).toMatchObject({ urls: ['turn:127.0.0.1:3478?transport=udp'], username: expect.stringMatching(new RegExp(`^\\d+:${client.session.userId}$`)) });
    expect(Number(turn!.username!.split(':')[0])).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(stun).toEqual({ urls: ['stun:127.0.0.1:3478'] });
  }
  const fresh = await request<{ iceServers: { username?: string }[] }>(a, 'call-credentials', {});
  expect(fresh.ok && fresh.iceServers[0]!.username).toMatch(new RegExp(`:${a.session.userId}$`));
});

test('signalling and camera/microphone state cross nodes both ways, with the chat’s roomId', async () => {
  const { a, b, am } = await pairOf('video');
  const [offerer, answerer] = am.call!.initiator ? [a, b] : [b, a];
  const offer = next<CallSignalEvent>(answerer, 'call-signal');
  expect(await request(offerer, 'call-signal', { kind: 'offer', sdp: OFFER })).toEqual({ ok: true });
  expect(await offer).toEqual({ roomId: am.roomId, kind: 'offer', sdp: OFFER });
  const answer = next<CallSignalEvent>(offerer, 'call-signal');
  expect(await request(answerer, 'call-signal', { kind: 'answer', sdp: OFFER })).toEqual({ ok: true });
  expect(await answer).toEqual({ roomId: am.roomId, kind: 'answer', sdp: OFFER });
  for (const [from, to] of [
    [offerer, answerer],
    [answerer, offerer],
  ] as const) {
    const ice = next<CallSignalEvent>(to, 'call-signal');
    expect(await request(from, 'call-signal', { kind: 'ice', candidate: CANDIDATE })).toEqual({ ok: true });
    expect(await ice).toEqual({ roomId: am.roomId, kind: 'ice', candidate: CANDIDATE });
    const state = next<CallStateEvent>(to, 'call-state');
    expect(await request(from, 'call-state', { camera: false, microphone: true })).toEqual({ ok: true });
    expect(await state).toEqual({ roomId: am.roomId, camera: false, microphone: true });
  }
  // The end of candidates (an empty candidate line) is relayed too.
  const done = next<CallSignalEvent>(answerer, 'call-signal');
  await request(offerer, 'call-signal', { kind: 'ice', candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0 } });
  expect((await done).candidate).toEqual({ candidate: '', sdpMid: '0', sdpMLineIndex: 0 });
});

test('a third user cannot signal into someone else’s chat: its signals reach only its own partner, or no one', async () => {
  const { a, b } = await pairOf('video');
  const intruders = await pairOf('video');
  const heardByA = record<CallSignalEvent>(a, 'call-signal');
  const heardByB = record<CallSignalEvent>(b, 'call-signal');
  const own = next<CallSignalEvent>(intruders.b, 'call-signal');
  // Nothing in the payload names a chat: the server takes the sender's own.
  expect(await request(intruders.a, 'call-signal', { kind: 'offer', sdp: OFFER })).toEqual({ ok: true });
  expect(await own).toMatchObject({ roomId: intruders.am.roomId });
  expect(await request(intruders.a, 'call-signal', { kind: 'offer', sdp: OFFER, roomId: 'x' } as object)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  const loner = await connect(cluster.urls[1]!);
  expect(await request(loner, 'call-signal', { kind: 'offer', sdp: OFFER })).toMatchObject({ ok: false, error: { code: 'NOT_IN_CHAT' } });
  expect(await request(loner, 'call-state', { camera: true, microphone: true })).toMatchObject({ ok: false, error: { code: 'NOT_IN_CHAT' } });
  await quietFor(300);
  expect(heardByA).toEqual([]);
  expect(heardByB).toEqual([]);
});

test('oversized or malformed SDP and candidates are INVALID_PAYLOAD, and nothing reaches the partner', async () => {
  const { a, b } = await pairOf('video');
  const heard = record<CallSignalEvent>(b, 'call-signal');
  const bad: object[] = [
    { kind: 'offer', sdp: 'x'.repeat(16 * 1024 + 1) },
    // Bytes count, not characters: 6,000 three-byte characters are 18,000 bytes.
    { kind: 'answer', sdp: '€'.repeat(6000) },
    { kind: 'offer' },
    { kind: 'offer', sdp: '' },
    { kind: 'offer', sdp: 42 },
    { kind: 'offer', sdp: OFFER, candidate: CANDIDATE },
    { kind: 'ice' },
    { kind: 'ice', candidate: { ...CANDIDATE, candidate: 'c'.repeat(1025) } },
    { kind: 'ice', candidate: { ...CANDIDATE, extra: 1 } },
    { kind: 'ice', candidate: 'candidate:1 1 udp' },
    { kind: 'ice', candidate: { ...CANDIDATE, sdpMLineIndex: -1 } },
    { kind: 'ice', sdp: OFFER },
    { kind: 'restart', sdp: OFFER },
    { kind: 'hangup' },
    { kind: 'end', note: 'bye' },
  ];
  for (const payload of bad) {
    expect(await request(a, 'call-signal', payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  }
  expect(await request(a, 'call-state', { camera: 'on', microphone: true })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  // The largest allowed SDP passes.
  const largest = next<CallSignalEvent>(b, 'call-signal');
  expect(await request(a, 'call-signal', { kind: 'offer', sdp: 'x'.repeat(16 * 1024) })).toEqual({ ok: true });
  expect((await largest).sdp).toHaveLength(16 * 1024);
  expect(heard).toHaveLength(1);
});

test('in a text chat the call events are NOT_ALLOWED (an end does nothing); outside a chat NOT_IN_CHAT', async () => {
  const { a, b, am } = await pairOf('text');
  expect(am).toMatchObject({ mode: 'text' });
  expect(am.call).toBeUndefined();
  const heard = record<CallSignalEvent>(b, 'call-signal');
  for (const [event, payload] of [
    ['call-signal', { kind: 'offer', sdp: OFFER }],
    ['call-signal', { kind: 'restart' }],
    ['call-state', { camera: true, microphone: true }],
    ['call-credentials', {}],
  ] as const) {
    expect(await request(a, event, payload)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  }
  // Ending is idempotent: nothing to end, nothing relayed.
  expect(await request(a, 'call-signal', { kind: 'end' })).toEqual({ ok: true });
  await request(a, 'leave-room', {});
  for (const [event, payload] of [
    ['call-signal', { kind: 'end' }],
    ['call-credentials', {}],
  ] as const) {
    expect(await request(a, event, payload)).toMatchObject({ ok: false, error: { code: 'NOT_IN_CHAT' } });
  }
  expect(heard).toEqual([]);
});

test('signalling past CALL_SIGNAL_RATE_LIMIT is RATE_LIMITED', async () => {
  const { a, b } = await pairOf('video');
  const heard = record<CallSignalEvent>(b, 'call-signal');
  const answers = [];
  for (let i = 0; i <= SIGNAL_LIMIT; i++) answers.push(await request(a, 'call-signal', { kind: 'ice', candidate: CANDIDATE }));
  expect(answers.slice(0, SIGNAL_LIMIT).every((r) => r.ok)).toBe(true);
  expect(answers[SIGNAL_LIMIT]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  const last = next<CallSignalEvent>(b, 'call-state');
  // Other call events keep their own budgets.
  expect(await request(a, 'call-state', { camera: true, microphone: false })).toEqual({ ok: true });
  await last;
  expect(heard).toHaveLength(SIGNAL_LIMIT);
});

test('`end` drops the chat to text for both: both are told, messages go on, the call is over for good', async () => {
  const { a, b, am } = await pairOf('video');
  const endSignal = next<CallSignalEvent>(b, 'call-signal');
  const [aState, bState] = [next<CallStateEvent>(a, 'call-state'), next<CallStateEvent>(b, 'call-state')];
  expect(await request(a, 'call-signal', { kind: 'end' })).toEqual({ ok: true });
  expect(await endSignal).toEqual({ roomId: am.roomId, kind: 'end' });
  expect(await aState).toEqual({ roomId: am.roomId, camera: false, microphone: false, ended: true, by: 'you' });
  expect(await bState).toEqual({ roomId: am.roomId, camera: false, microphone: false, ended: true, by: 'partner' });
  // The chat goes on as text.
  const toA = next<MessageEvent>(a, 'message');
  expect(await request(b, 'send-message', { text: 'still here' })).toMatchObject({ ok: true });
  expect(await toA).toMatchObject({ roomId: am.roomId, text: 'still here' });
  expect(await request(b, 'call-signal', { kind: 'offer', sdp: OFFER })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  expect(await request(b, 'call-credentials', {})).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  // An end that finds the call over already is answered, and changes nothing.
  expect(await request(b, 'call-signal', { kind: 'end' })).toEqual({ ok: true });
  // A later resume carries no call.
  const token = a.session.token;
  a.disconnect();
  await next(b, 'partner-away');
  const back = await connect(cluster.urls[1]!, { token });
  const resumed = await back.resumed;
  expect(resumed).toMatchObject({ roomId: am.roomId, mode: 'text' });
  expect(resumed.call).toBeUndefined();
});

test('leaving a video chat ends its call for both, before the chat’s end', async () => {
  const { a, b, am } = await pairOf('video');
  const order: string[] = [];
  b.on('call-state', (e: CallStateEvent) => order.push(`call-state ${e.by}`));
  b.on('partner-disconnected', () => order.push('partner-disconnected'));
  const mine = next<CallStateEvent>(a, 'call-state');
  const gone = next(b, 'partner-disconnected');
  await request(a, 'leave-room', {});
  expect(await mine).toEqual({ roomId: am.roomId, camera: false, microphone: false, ended: true, by: 'you' });
  await gone;
  expect(order).toEqual(['call-state partner', 'partner-disconnected']);
});

test('a resumed video chat carries a fresh call with the same initiator on each side, and the initiator restarts it', async () => {
  const { a, b, am, bm } = await pairOf('video');
  const live = { a, b };
  for (const side of ['a', 'b'] as const) {
    const client = live[side];
    const other = live[side === 'a' ? 'b' : 'a'];
    const matched = side === 'a' ? am : bm;
    client.disconnect();
    await next(other, 'partner-away');
    const back = next(other, 'partner-back');
    // Back on the other node.
    const again = await connect(cluster.urls[side === 'a' ? 1 : 0]!, { token: client.session.token });
    live[side] = again;
    const resumed: ResumedEvent = await again.resumed;
    await back;
    expect(resumed).toMatchObject({ roomId: matched.roomId, mode: 'video', call: { initiator: matched.call!.initiator } });
    expect(resumed.call!.iceServers[0]!.username).toMatch(new RegExp(`^\\d+:${client.session.userId}$`));
    const [initiator, partner] = resumed.call!.initiator ? [again, other] : [other, again];
    const restart = next<CallSignalEvent>(partner, 'call-signal');
    expect(await request(initiator, 'call-signal', { kind: 'restart' })).toEqual({ ok: true });
    expect(await restart).toEqual({ roomId: matched.roomId, kind: 'restart' });
    const offer = next<CallSignalEvent>(partner, 'call-signal');
    expect(await request(initiator, 'call-signal', { kind: 'offer', sdp: OFFER })).toEqual({ ok: true });
    expect(await offer).toMatchObject({ kind: 'offer' });
  }
}, 30_000);

test('a report of a video chat holds its text and its call’s metadata — never signalling — in time order', async () => {
  const { a, b } = await pairOf('video');
  const seen = next(b, 'call-state');
  await request(a, 'call-state', { camera: false, microphone: true });
  await seen;
  await request(a, 'call-signal', { kind: 'offer', sdp: OFFER });
  await request(b, 'send-message', { text: 'why is your camera off' });
  await request(b, 'call-signal', { kind: 'end' });
  await request(a, 'send-message', { text: 'bye' });
  const ack = await request<{ reportId: string }>(b, 'report', { target: { kind: 'chat' }, reason: 'harassment' });
  if (!ack.ok) throw new Error(ack.error.code);
  // Without PostgreSQL each node keeps its own reports: the reporter's node (b's, node 2) has it.
  const res = await fetch(`${cluster.urls[1]}/api/admin/reports/${ack.reportId}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  const { report } = (await res.json()) as { report: Report };
  expect(report.evidence.map((e) => [e.kind ?? 'message', e.author, e.text])).toEqual([
    ['call', 'other', 'Video call started'],
    ['call', 'reported', 'Turned the camera off'],
    ['message', 'reporter', 'why is your camera off'],
    ['call', 'reporter', 'Ended the video call (the chat went on as text)'],
    ['message', 'reported', 'bye'],
  ]);
  expect(JSON.stringify(report)).not.toContain('v=0');
});
