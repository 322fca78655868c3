/**
 * The mode part of the MatchStore behaviour, and the call store: each mode
 * (text, video) has pools of its own in every scope, a pair commits only
 * within one mode and the chat keeps it, a video chat's call ends for good in
 * one step, and its metadata is kept like the chat's log. Run against each
 * backend by one-to-one-contract.ts.
 */
import type { CandidateQuery } from '../../src/store/match-store';
import type { OneToOneStore } from '../../src/store/one-to-one-store';
import { T0, WINDOW, useStores, type OneToOneFactory } from './one-to-one-fixture';

const inMode = (mode: 'text' | 'video' | undefined, interests: string[] = [], open = true, languages?: string[]): CandidateQuery => ({
  interests,
  open,
  ...(languages && { languages, anyLanguage: false }),
  ...(mode && { mode }),
  head: 16,
  tail: 4,
  near: 8,
  page: 0,
  now: T0 + 100,
});

export function describeMatchModesContract(name: string, factory: OneToOneFactory): void {
  describe(`${name} match store contract: modes and calls`, () => {
    let store: OneToOneStore;
    const { cands } = useStores(factory, (s) => {
      store = s;
    });
    const ids = async (seeker: string, q: CandidateQuery) => (await cands(seeker, q)).map((c) => c.userId).sort();
    const pairIn = (mode: 'text' | 'video', a: string, b: string, now = T0 + 1) =>
      store.commitPair({ a, b, roomId: `room-${a}-${b}`, now, commonInterests: [], rematchWindowMs: WINDOW, mode });
    const videoChat = async (a: string, b: string) => {
      await store.enqueue(a, [], T0, undefined, 'video');
      await store.enqueue(b, [], T0, undefined, 'video');
      expect(await pairIn('video', a, b)).toMatchObject({ ok: true, chat: { mode: 'video', users: [a, b] } });
    };

    test('video and text waiters are in pools of their own, in every scope, and video ones carry their mode', async () => {
      await store.enqueue('v-open', [], T0, undefined, 'video');
      await store.enqueue('v-chess', ['chess'], T0, undefined, 'video');
      await store.enqueue('v-de', [], T0, { languages: ['de'] }, 'video');
      await store.enqueue('t-open', [], T0);
      await store.enqueue('t-chess', ['chess'], T0, undefined, 'text');
      await store.enqueue('t-de', [], T0, { languages: ['de'] });
      expect(await ids('s', inMode('video'))).toEqual(['v-open']);
      expect(await ids('s', inMode('video', ['chess'], false))).toEqual(['v-chess']);
      expect(await ids('s', inMode('video', [], true, ['de']))).toEqual(['v-de']);
      expect(await ids('s', inMode('text'))).toEqual(['t-open']);
      expect(await ids('s', inMode(undefined))).toEqual(['t-open']);
      expect(await ids('s', inMode('text', ['chess'], false))).toEqual(['t-chess']);
      expect(await ids('s', inMode(undefined, [], true, ['de']))).toEqual(['t-de']);
      expect(await cands('s', inMode('video'))).toMatchObject([{ userId: 'v-open', mode: 'video' }]);
      expect((await cands('s', inMode('text')))[0]!.mode).toBeUndefined();
      expect(await store.getUser('v-open')).toMatchObject({ state: 'waiting', mode: 'video' });
      expect((await store.getUser('t-open')).mode).toBeUndefined();
    });

    test('a recheck reads a waiter of the other mode as it is: its mode says so', async () => {
      await store.enqueue('t', [], T0);
      const read = await cands('v', { ...inMode('video'), recheck: ['t'] });
      expect(read).toMatchObject([{ userId: 't' }]);
      expect(read[0]!.mode).toBeUndefined();
    });

    test('a new search in the other mode moves the waiter to that mode’s pools', async () => {
      await store.enqueue('a', ['chess'], T0, undefined, 'video');
      await store.enqueue('a', ['chess'], T0 + 1, undefined, 'text');
      expect(await ids('s', inMode('video', ['chess'], true))).toEqual([]);
      expect(await ids('s', inMode('text', [], true))).toEqual([]);
      expect(await ids('s', inMode('text', ['chess'], false))).toEqual(['a']);
      await store.activate('a', T0 + 1, true);
      expect(await ids('s', inMode('text'))).toEqual(['a']);
      expect(await ids('s', inMode('video'))).toEqual([]);
    });

    test('commitPair pairs only two searches of the chat’s mode (the fence)', async () => {
      await store.enqueue('v', [], T0, undefined, 'video');
      await store.enqueue('t', [], T0);
      expect(await pairIn('video', 'v', 't')).toEqual({ ok: false, reason: 'b-unavailable' });
      expect(await pairIn('text', 'v', 't')).toEqual({ ok: false, reason: 'a-unavailable', aState: 'waiting' });
      expect(await store.commitPair({ a: 't', b: 'v', roomId: 'r', now: T0 + 1, commonInterests: [], rematchWindowMs: 0 })).toMatchObject({
        ok: false,
        reason: 'b-unavailable',
      });
      await store.enqueue('t2', [], T0);
      expect(await pairIn('text', 't', 't2')).toMatchObject({ ok: true, chat: { mode: 'text' } });
    });

    test('counts tell the video searches apart, and they leave the count with their search', async () => {
      await store.enqueue('v1', [], T0, undefined, 'video');
      await store.enqueue('v2', [], T0, undefined, 'video');
      await store.enqueue('t1', [], T0);
      expect(await store.counts()).toMatchObject({ waiting: 3, waitingVideo: 2 });
      await store.enqueue('v2', [], T0 + 1, undefined, 'text');
      expect(await store.counts()).toMatchObject({ waiting: 3, waitingVideo: 1 });
      await store.enqueue('v3', [], T0, undefined, 'video');
      expect(await pairIn('video', 'v1', 'v3')).toMatchObject({ ok: true });
      expect(await store.counts()).toMatchObject({ waiting: 2, waitingVideo: 0 });
      await store.enqueue('v4', [], T0, undefined, 'video');
      await store.leave({ userId: 'v4', now: T0, cooldownMs: 0, only: 'search' });
      await store.enqueue('v5', [], T0, undefined, 'video');
      await store.connect({ userId: 'v5', sid: 's5', nodeId: 'n1' });
      expect(await store.counts()).toMatchObject({ waiting: 2, waitingVideo: 0 });
    });

    test('a video chat knows its mode and its initiator (the pair’s first user) on each side, and on resume', async () => {
      await videoChat('a', 'b');
      expect(await store.chatCall('a')).toEqual({ partnerId: 'b', roomId: 'room-a-b', mode: 'video', initiator: true });
      expect(await store.chatCall('b')).toEqual({ partnerId: 'a', roomId: 'room-a-b', mode: 'video', initiator: false });
      expect(await store.connect({ userId: 'b', sid: 'sb', nodeId: 'n1' })).toMatchObject({ kind: 'resumed', mode: 'video', initiator: false });
      expect(await store.connect({ userId: 'a', sid: 'sa', nodeId: 'n1' })).toMatchObject({ kind: 'resumed', mode: 'video', initiator: true });
      expect(await store.chatCall('c')).toBeNull();
    });

    test('a text chat is a text chat: nothing to end', async () => {
      await store.enqueue('a', [], T0);
      await store.enqueue('b', [], T0);
      await pairIn('text', 'a', 'b');
      expect(await store.chatCall('a')).toMatchObject({ mode: 'text', initiator: true });
      expect(await store.endCall('a')).toEqual({ kind: 'text' });
      expect(await store.endCall('nobody')).toEqual({ kind: 'not-in-chat' });
      expect(await store.connect({ userId: 'a', sid: 'sa', nodeId: 'n1' })).toMatchObject({ kind: 'resumed', mode: 'text' });
    });

    test('ending the call turns the chat to text for good, once: the second end finds a text chat', async () => {
      await videoChat('a', 'b');
      expect(await store.endCall('b')).toEqual({ kind: 'ended', partnerId: 'a', roomId: 'room-a-b' });
      expect(await store.endCall('a')).toEqual({ kind: 'text' });
      expect(await store.chatCall('a')).toMatchObject({ mode: 'text', partnerId: 'b' });
      expect(await store.connect({ userId: 'a', sid: 'sa', nodeId: 'n1' })).toMatchObject({ kind: 'resumed', mode: 'text' });
      // Leaving now ends a text chat: no call ends with it.
      const left = await store.leave({ userId: 'a', now: T0 + 2, cooldownMs: 0, only: 'chat' });
      expect(left).toMatchObject({ previous: 'chatting', partnerId: 'b' });
      expect(left.mode).toBeUndefined();
    });

    test('a chat that ends while its call is on says so, however it ends', async () => {
      await videoChat('a', 'b');
      expect(await store.leave({ userId: 'a', now: T0 + 2, cooldownMs: 0, only: 'chat' })).toMatchObject({ previous: 'chatting', mode: 'video' });
      await videoChat('c', 'd');
      await store.connect({ userId: 'c', sid: 'sc', nodeId: 'n1' });
      expect(await store.disconnect({ userId: 'c', sid: 'sc', now: T0 + 2, cooldownMs: 0, graceMs: 0 })).toMatchObject({ kind: 'chat-ended', mode: 'video' });
      await videoChat('e', 'f');
      await store.connect({ userId: 'e', sid: 'se', nodeId: 'n1' });
      await store.disconnect({ userId: 'e', sid: 'se', now: T0 + 2, cooldownMs: 0, graceMs: 10 });
      expect(await store.expireAway(T0 + 100, 0, 10)).toEqual([{ userId: 'e', partnerId: 'f', roomId: 'room-e-f', mode: 'video' }]);
    });

    test('a call’s notes start with the call, follow it, and are kept like the chat’s log', async () => {
      await videoChat('a', 'b');
      await store.noteCall('room-a-b', { at: T0 + 5, by: 'a', what: 'camera-off' });
      await store.noteCall('room-a-b', { at: T0 + 6, by: 'b', what: 'call-ended' });
      expect(await store.callNotes('room-a-b')).toEqual([
        { at: T0 + 1, what: 'call-started' },
        { at: T0 + 5, by: 'a', what: 'camera-off' },
        { at: T0 + 6, by: 'b', what: 'call-ended' },
      ]);
      await store.leave({ userId: 'a', now: T0 + 7, cooldownMs: 0, only: 'chat' });
      // Without evidence time (this store's), they go with the chat, as its log does; nothing is noted after.
      await store.noteCall('room-a-b', { at: T0 + 8, by: 'a', what: 'camera-on' });
      expect(await store.callNotes('room-a-b')).toEqual([]);
      expect(await store.callNotes('never')).toEqual([]);
    });
  });

  describe(`${name} call store contract: evidence time`, () => {
    let store: OneToOneStore;
    useStores(
      () => factory({ evidenceMs: 60_000 }),
      (s) => {
        store = s;
      },
    );

    test('an ended video chat’s notes are kept as evidence, as its log is', async () => {
      await store.enqueue('a', [], T0, undefined, 'video');
      await store.enqueue('b', [], T0, undefined, 'video');
      await store.commitPair({ a: 'a', b: 'b', roomId: 'r', now: T0, commonInterests: [], rematchWindowMs: 0, mode: 'video' });
      await store.noteCall('r', { at: T0 + 1, by: 'b', what: 'microphone-off' });
      await store.leave({ userId: 'a', now: T0 + 2, cooldownMs: 0, only: 'chat' });
      expect(await store.callNotes('r')).toEqual([
        { at: T0, what: 'call-started' },
        { at: T0 + 1, by: 'b', what: 'microphone-off' },
      ]);
    });
  });
}
