/**
 * The behaviour every MatchStore must have: the pools, pairing, and each
 * user's session (connection, search or chat, resume grace). Run against
 * each backend by one-to-one-contract.ts.
 */
import type { PoolCursor } from '../../src/store/match-store';
import type { OneToOneStore } from '../../src/store/one-to-one-store';
import { BUDGET, message, query, T0, useStores, WINDOW, type OneToOneFactory } from './one-to-one-fixture';

export function describeMatchStoreContract(name: string, factory: OneToOneFactory): void {
  describe(`${name} match store contract`, () => {
    let store: OneToOneStore;
    let other: OneToOneStore;
    const { pair, chatOf, cands, counts, connectAs, dropOf } = useStores(factory, (s, o) => {
      store = s;
      other = o;
    });

    test('enqueue puts a user in the pools of its interests and counts it waiting', async () => {
      expect(await store.enqueue('a', ['chess'], T0)).toEqual({ ok: true, since: T0, cooldownUntil: 0, active: true });
      expect(await store.counts()).toMatchObject({ waiting: 1, chatting: 0 });
      const seen = await cands('b', query(['chess'], false));
      expect(seen).toEqual([
        { userId: 'a', interests: ['chess'], since: T0, cooldownUntil: 0, lastChatAt: null, blockedUntil: 0, node: null, languages: [] },
      ]);
      // A candidate's live connection is reported with its node.
      await store.connect({ userId: 'a', sid: 's1', nodeId: 'n1' });
      await store.enqueue('a', ['chess'], T0);
      expect(await cands('b', query(['chess'], false))).toMatchObject([{ userId: 'a', node: 'n1' }]);
      expect(await cands('b', query(['go'], true))).toEqual([]);
    });

    test('a user without interests is in the open pool; a seeker never sees itself', async () => {
      await store.enqueue('a', [], T0);
      expect((await cands('b', query([], true))).map((c) => c.userId)).toEqual(['a']);
      expect(await cands('a', query([], true))).toEqual([]);
    });

    test('re-enqueue replaces the interests', async () => {
      await store.enqueue('a', ['chess'], T0);
      await store.enqueue('a', ['go'], T0 + 5);
      expect(await cands('b', query(['chess'], false))).toEqual([]);
      expect((await cands('b', query(['go'], false)))[0]).toMatchObject({ userId: 'a', since: T0 + 5 });
      expect(await store.counts()).toMatchObject({ waiting: 1, chatting: 0 });
    });

    test('commitPair pairs two active waiters once and records history both ways', async () => {
      await store.enqueue('a', ['chess'], T0);
      await store.enqueue('b', ['chess'], T0 + 1);
      const result = await pair('a', 'b', T0 + 2, ['chess']);
      expect(result).toEqual({
        ok: true,
        chat: { roomId: 'room-a-b', users: ['a', 'b'], startedAt: T0 + 2, commonInterests: ['chess'], mode: 'text' },
        // Neither has a live connection the store knows of.
        sockets: [undefined, undefined],
      });
      expect(await store.counts()).toMatchObject({ waiting: 0, chatting: 2 });
      expect(await store.getUser('a')).toMatchObject({ state: 'chatting', partnerId: 'b', roomId: 'room-a-b' });
      expect(await store.getUser('b')).toMatchObject({ state: 'chatting', partnerId: 'a', roomId: 'room-a-b' });
      expect(await cands('c', query(['chess'], true))).toEqual([]);
      // The fence: neither can be paired again while in this chat.
      await store.enqueue('c', [], T0 + 3);
      expect(await pair('c', 'a', T0 + 3)).toMatchObject({ ok: false, reason: 'b-unavailable' });
      expect(await pair('a', 'c', T0 + 3)).toMatchObject({ ok: false, reason: 'a-unavailable', aState: 'chatting' });
      expect(await store.enqueue('a', [], T0 + 3)).toEqual({ ok: false, reason: 'in-chat' });
    });

    test('commitPair names each user’s live connection at the commit, so its node can hand `matched` over directly', async () => {
      await store.connect({ userId: 'a', sid: 'sa', nodeId: 'n1' });
      await store.connect({ userId: 'b', sid: 'sb', nodeId: 'n2' });
      await store.enqueue('a', [], T0);
      await store.enqueue('b', [], T0 + 1);
      expect(await pair('b', 'a', T0 + 2)).toMatchObject({
        ok: true,
        chat: { users: ['b', 'a'] },
        sockets: [{ node: 'n2', sid: 'sb' }, { node: 'n1', sid: 'sa' }],
      });
    });

    test('commitPair refuses self, rematch inside the window and blocks', async () => {
      await store.enqueue('a', [], T0);
      expect(await pair('a', 'a')).toMatchObject({ ok: false, reason: 'self' });
      await store.enqueue('b', [], T0);
      await pair('a', 'b');
      await store.leave({ userId: 'a', now: T0 + 10, cooldownMs: 0, only: 'chat' });
      await store.enqueue('a', [], T0 + 20);
      await store.enqueue('b', [], T0 + 20);
      expect(await pair('a', 'b', T0 + 30)).toMatchObject({ ok: false, reason: 'rematch' });
      const seen = await cands('a', query([], true, T0 + 30));
      expect(seen[0]).toMatchObject({ userId: 'b', lastChatAt: T0 });
      // Past the window they may meet again, unless one blocked the other.
      expect(await store.block('b', T0 + 40, 1_000_000)).toBe('a');
      expect((await cands('a', query([], true, T0 + 50)))[0]).toMatchObject({ blockedUntil: T0 + 40 + 1_000_000 });
      expect(await pair('a', 'b', T0 + WINDOW + 50)).toMatchObject({ ok: false, reason: 'blocked' });
      expect(await pair('a', 'b', T0 + 2_000_000)).toMatchObject({ ok: true });
    });

    test('ending a chat idles both sides with a cooldown and keeps the last partner', async () => {
      await store.enqueue('a', [], T0);
      await store.enqueue('b', [], T0);
      await pair('a', 'b');
      const r = await store.leave({ userId: 'b', now: T0 + 100, cooldownMs: 3000, only: 'chat' });
      expect(r).toEqual({ previous: 'chatting', partnerId: 'a', roomId: 'room-a-b' });
      for (const [id, partner] of [
        ['a', 'b'],
        ['b', 'a'],
      ]) {
        expect(await store.getUser(id!)).toMatchObject({
          state: 'idle',
          cooldownUntil: T0 + 3100,
          lastPartnerId: partner,
          lastRoomId: 'room-a-b',
          lastEndedAt: T0 + 100,
        });
      }
      expect(await store.counts()).toMatchObject({ waiting: 0, chatting: 0 });
      // In cooldown a user waits outside the pools until activated.
      expect(await store.enqueue('a', [], T0 + 200)).toEqual({ ok: true, since: T0 + 200, cooldownUntil: T0 + 3100, active: false });
      expect(await cands('c', query([], true, T0 + 200))).toEqual([]);
      expect(await store.activate('a', T0 + 999, true)).toBe(false);
      expect(await store.activate('a', T0 + 200, true)).toBe(true);
      expect((await cands('c', query([], true, T0 + 3200))).map((c) => c.userId)).toEqual(['a']);
    });

    test('leave honours `only`', async () => {
      await store.enqueue('a', ['x'], T0);
      expect(await store.leave({ userId: 'a', now: T0, cooldownMs: 0, only: 'chat' })).toEqual({ previous: 'waiting' });
      expect((await store.getUser('a')).state).toBe('waiting');
      expect(await store.leave({ userId: 'a', now: T0, cooldownMs: 0, only: 'search' })).toEqual({ previous: 'waiting' });
      expect((await store.getUser('a')).state).toBe('idle');
      expect(await cands('b', query(['x'], true))).toEqual([]);
    });

    test('a newer connection takes over; only the live one can drop the user', async () => {
      expect(await store.connect({ userId: 'a', sid: 's1', nodeId: 'n1' })).toEqual({ kind: 'idle' });
      await store.enqueue('a', ['x'], T0);
      expect(await store.connect({ userId: 'a', sid: 's2', nodeId: 'n2' })).toEqual({ kind: 'search-ended' });
      await store.enqueue('a', ['x'], T0);
      const drop = { userId: 'a', now: T0, cooldownMs: 0, graceMs: 1000 };
      expect(await store.disconnect({ ...drop, sid: 's1' })).toEqual({ kind: 'stale' });
      expect((await store.getUser('a')).state).toBe('waiting');
      expect(await store.disconnect({ ...drop, sid: 's2' })).toEqual({ kind: 'search-ended' });
      expect(await store.getUser('a')).toMatchObject({ state: 'idle' });
      expect((await store.getUser('a')).sid).toBeUndefined();
    });

    test('a dropped chat waits for the grace, resumes with its log, or expires', async () => {
      await chatOf('a', 'b');
      await store.connect({ userId: 'a', sid: 's1', nodeId: 'n1' });
      expect(await store.relay('a', message('m1', 'a'), 3, BUDGET, T0)).toEqual({
        kind: 'relayed',
        partnerId: 'b',
        roomId: 'room-a-b',
        seq: 1,
        epoch: expect.any(String),
      });
      const drop = { userId: 'a', sid: 's1', now: T0 + 10, cooldownMs: 100, graceMs: 1000 };
      expect(await store.disconnect(drop)).toEqual({ kind: 'away', partnerId: 'b', roomId: 'room-a-b' });
      expect(await store.getUser('a')).toMatchObject({ state: 'chatting', away: T0 + 1010 });
      // The partner may still write; the log keeps the last `cap` messages.
      for (const id of ['m2', 'm3', 'm4']) await store.relay('b', message(id, 'b'), 3, BUDGET, T0);
      expect(await store.expireAway(T0 + 1009, 100, 10)).toEqual([]);
      const resumed = await store.connect({ userId: 'a', sid: 's2', nodeId: 'n2' });
      expect(resumed).toEqual({
        kind: 'resumed',
        partnerId: 'b',
        roomId: 'room-a-b',
        startedAt: T0,
        commonInterests: [],
        mode: 'text',
        initiator: true,
        wasAway: true,
        log: { epoch: expect.any(String), messages: ['m2', 'm3', 'm4'].map((id, i) => ({ ...message(id, 'b'), seq: i + 2 })) },
      });
      expect((await store.getUser('a')).away).toBeUndefined();

      await store.disconnect({ ...drop, sid: 's2', now: T0 + 2000 });
      expect(await store.expireAway(T0 + 2999, 100, 10)).toEqual([]);
      expect(await store.expireAway(T0 + 3000, 100, 10)).toEqual([{ userId: 'a', partnerId: 'b', roomId: 'room-a-b' }]);
      expect(await store.getUser('b')).toMatchObject({ state: 'idle', cooldownUntil: T0 + 3100 });
      expect(await store.expireAway(T0 + 5000, 100, 10)).toEqual([]);
      expect(await store.relay('b', message('m5', 'b'), 3, BUDGET, T0)).toEqual({ kind: 'not-in-chat' });
    });

    test('with no grace a dropped chat ends at once', async () => {
      await chatOf('a', 'b');
      await store.connect({ userId: 'a', sid: 's1', nodeId: 'n1' });
      expect(await store.disconnect({ userId: 'a', sid: 's1', now: T0, cooldownMs: 0, graceMs: 0 })).toEqual({
        kind: 'chat-ended',
        partnerId: 'b',
        roomId: 'room-a-b',
      });
      expect(await store.counts()).toMatchObject({ waiting: 0, chatting: 0, away: 0 });
    });

    test('a connection attached again keeping its search stays in the pools; a new one ends the search', async () => {
      await store.connect({ userId: 'k', sid: 's1', nodeId: 'n' });
      await store.enqueue('k', ['x'], T0);
      expect(await store.connect({ userId: 'k', sid: 's1', nodeId: 'n', keepSearch: true })).toEqual({ kind: 'idle' });
      expect((await store.getUser('k')).state).toBe('waiting');
      expect(await store.connect({ userId: 'k', sid: 's2', nodeId: 'n' })).toEqual({ kind: 'search-ended' });
      expect((await store.getUser('k')).state).toBe('idle');
    });

    test('counts add up through connect, search, chat, drop, resume and expiry', async () => {
      expect(await counts()).toEqual({ online: 0, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });
      await connectAs('a', 'sa');
      await connectAs('b', 'sb');
      await connectAs('c', 'sc', 'n2');
      expect(await counts()).toEqual({ online: 3, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });
      for (const id of ['a', 'b', 'c']) await store.enqueue(id, [], T0);
      expect(await counts()).toEqual({ online: 3, waiting: 3, waitingVideo: 0, chatting: 0, away: 0 });
      await pair('a', 'b');
      expect(await counts()).toEqual({ online: 3, waiting: 1, waitingVideo: 0, chatting: 2, away: 0 });

      // A chatting user who drops is away: neither chatting nor online.
      expect(await store.disconnect(dropOf('a', 'sa'))).toMatchObject({ kind: 'away' });
      expect(await counts()).toEqual({ online: 2, waiting: 1, waitingVideo: 0, chatting: 1, away: 1 });
      // A waiting user who drops stops searching.
      expect(await store.disconnect(dropOf('c', 'sc'))).toEqual({ kind: 'search-ended' });
      expect(await counts()).toEqual({ online: 1, waiting: 0, waitingVideo: 0, chatting: 1, away: 1 });
      // Coming back within the grace, on any node, resumes the chat.
      expect(await connectAs('a', 'sa2', 'n2')).toMatchObject({ kind: 'resumed', wasAway: true });
      expect(await counts()).toEqual({ online: 2, waiting: 0, waitingVideo: 0, chatting: 2, away: 0 });

      // Both drop: two away, nobody online; the grace runs out and the chat ends.
      await store.disconnect(dropOf('a', 'sa2', T0 + 10));
      await store.disconnect(dropOf('b', 'sb', T0 + 20));
      expect(await counts()).toEqual({ online: 0, waiting: 0, waitingVideo: 0, chatting: 0, away: 2 });
      expect(await store.expireAway(T0 + 1010, 0, 10)).toHaveLength(1);
      expect(await counts()).toEqual({ online: 0, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });
      expect(await store.expireAway(T0 + 1020, 0, 10)).toEqual([]);
    });

    test('a user counts online once, whichever of its connections is live', async () => {
      await connectAs('a', 's1', 'n1');
      await connectAs('a', 's2', 'n2');
      expect(await counts()).toEqual({ online: 1, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });
      // The replaced connection closing changes nothing.
      expect(await store.disconnect(dropOf('a', 's1'))).toEqual({ kind: 'stale' });
      expect(await counts()).toEqual({ online: 1, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });
      // A replaced connection of a chatting user neither ends nor suspends the chat.
      await connectAs('b', 's3');
      await store.enqueue('a', [], T0);
      await store.enqueue('b', [], T0);
      await pair('a', 'b');
      await connectAs('a', 's4', 'n1');
      expect(await store.disconnect(dropOf('a', 's2'))).toEqual({ kind: 'stale' });
      expect(await counts()).toEqual({ online: 2, waiting: 0, waitingVideo: 0, chatting: 2, away: 0 });
      await store.disconnect(dropOf('a', 's4'));
      expect(await counts()).toEqual({ online: 1, waiting: 0, waitingVideo: 0, chatting: 1, away: 1 });
    });

    test('a search or chat whose connection is not recorded still adds up, and a drop clears it', async () => {
      // As after a data loss, before the connections are registered again.
      await store.enqueue('a', [], T0);
      expect(await counts()).toEqual({ online: 1, waiting: 1, waitingVideo: 0, chatting: 0, away: 0 });
      await store.enqueue('b', [], T0);
      await pair('a', 'b');
      expect(await counts()).toEqual({ online: 2, waiting: 0, waitingVideo: 0, chatting: 2, away: 0 });
      // Re-registration, then the connection closes.
      expect(await connectAs('a', 's1')).toMatchObject({ kind: 'resumed', wasAway: false });
      await store.disconnect(dropOf('a', 's1'));
      expect(await counts()).toEqual({ online: 1, waiting: 0, waitingVideo: 0, chatting: 1, away: 1 });
      // A close with no connection recorded applies too.
      await store.enqueue('c', [], T0);
      expect(await store.disconnect(dropOf('c', 'unknown'))).toEqual({ kind: 'search-ended' });
      expect(await counts()).toEqual({ online: 1, waiting: 0, waitingVideo: 0, chatting: 1, away: 1 });
    });

    test('candidates reads a bounded head and tail of each pool, oldest first', async () => {
      for (let i = 0; i < 40; i++) await store.enqueue(`w${String(i).padStart(2, '0')}`, [], T0 + i);
      const seen = (
        await cands('s', { interests: [], open: true, head: 3, tail: 2, near: 4, page: 0, now: T0 + 50 })
      ).map((c) => c.userId);
      expect(seen).toEqual(['w00', 'w01', 'w02', 'w38', 'w39']);
    });

    test("candidates also reads the seeker's neighbours in each pool it is in", async () => {
      for (let i = 0; i < 40; i++) await store.enqueue(`w${String(i).padStart(2, '0')}`, [], T0 + i);
      const seen = (
        await cands('w20', { interests: [], open: true, head: 2, tail: 1, near: 2, page: 0, now: T0 + 50 })
      ).map((c) => c.userId);
      expect(seen).toEqual(['w00', 'w01', 'w18', 'w19', 'w21', 'w22', 'w39']);
      const nearHead = (
        await cands('w02', { interests: [], open: true, head: 2, tail: 0, near: 3, page: 0, now: T0 + 50 })
      ).map((c) => c.userId);
      expect(nearHead).toEqual(['w00', 'w01', 'w03', 'w04', 'w05']);
    });

    test('a page walk reads every pool whole, in (since, id) order, across pools and ties', async () => {
      // 25 waiters in "x", several sharing one since; 7 in the open pool.
      for (let i = 0; i < 25; i++) await store.enqueue(`x${String(i).padStart(2, '0')}`, ['x'], T0 + Math.floor(i / 4));
      for (let i = 0; i < 7; i++) await store.enqueue(`o${i}`, [], T0 + 100 + i);
      const walk = { interests: ['x'], open: true, head: 0, tail: 0, near: 0, page: 6, now: T0 + 200 };
      const order: string[] = [];
      let cursor: PoolCursor | undefined;
      for (let step = 0; step < 20; step++) {
        const read = await store.candidates('s', { ...walk, cursor });
        expect(read.candidates.length).toBeLessThanOrEqual(6);
        order.push(...read.candidates.map((c) => c.userId));
        if (read.cursor === null) break;
        cursor = read.cursor;
      }
      const expected = [...Array.from({ length: 25 }, (_, i) => `x${String(i).padStart(2, '0')}`), ...Array.from({ length: 7 }, (_, i) => `o${i}`)];
      expect(order).toEqual(expected);
    });

    test('a page goes on after a waiter that left, and rechecked users are judged wherever they are', async () => {
      for (let i = 0; i < 10; i++) await store.enqueue(`w${i}`, [], T0 + i);
      await store.enqueue('far', ['elsewhere'], T0 + 50);
      const first = await store.candidates('s', { interests: [], open: true, head: 0, tail: 0, near: 0, page: 4, now: T0 + 60 });
      expect(first.candidates.map((c) => c.userId)).toEqual(['w0', 'w1', 'w2', 'w3']);
      await store.leave({ userId: 'w3', now: T0 + 61, cooldownMs: 0, only: 'search' });
      const second = await store.candidates('s', {
        interests: [], open: true, head: 0, tail: 0, near: 0, page: 4, cursor: first.cursor!, recheck: ['far', 'w3'], now: T0 + 62,
      });
      expect(second.candidates.map((c) => c.userId)).toEqual(['w4', 'w5', 'w6', 'w7', 'far']);
      expect(second.seeker).toEqual({ state: 'idle', since: null });
      await store.enqueue('s', [], T0 + 70);
      const own = await store.candidates('s', { interests: [], open: true, head: 0, tail: 0, near: 0, page: 0, now: T0 + 71 });
      expect(own.seeker).toEqual({ state: 'waiting', since: T0 + 70 });
    });
  });
}
