/**
 * The behaviour every ChatStore must have: relays logged and budgeted in one
 * step, delivered only inside the sender's current chat, logs kept as
 * evidence. Run against each backend by one-to-one-contract.ts.
 */
import type { OneToOneStore } from '../../src/store/one-to-one-store';
import { eventually } from '../../testkit/eventually';
import { BUDGET, message, T0, useStores, WINDOW, type OneToOneFactory } from './one-to-one-fixture';

export function describeChatStoreContract(name: string, factory: OneToOneFactory): void {
  describe(`${name} chat store contract`, () => {
    let store: OneToOneStore;
    let other: OneToOneStore;
    const { chatOf } = useStores(factory, (s, o) => {
      store = s;
      other = o;
    });

    test('an ended chat’s log stays readable as report evidence when the store keeps it, else it goes with the chat', async () => {
      await chatOf('a', 'b');
      await store.relay('a', message('m1', 'a'), 10, BUDGET, T0);
      expect((await store.chatLog('room-a-b')).messages).toEqual([{ ...message('m1', 'a'), seq: 1 }]);
      await store.leave({ userId: 'a', now: T0 + 10, cooldownMs: 0, only: 'chat' });
      expect((await store.chatLog('room-a-b')).messages).toEqual([]);
      const { store: keeping, cleanup: done } = await factory({ evidenceMs: 60_000 });
      try {
        await keeping.enqueue('c', [], T0);
        await keeping.enqueue('d', [], T0);
        await keeping.commitPair({ a: 'c', b: 'd', roomId: 'room-c-d', now: T0, commonInterests: [], rematchWindowMs: WINDOW });
        await keeping.relay('c', message('m1', 'c'), 10, BUDGET, T0);
        await keeping.relay('d', message('m2', 'd'), 10, BUDGET, T0);
        await keeping.leave({ userId: 'd', now: T0 + 10, cooldownMs: 0, only: 'chat' });
        expect((await keeping.chatLog('room-c-d')).messages).toEqual([{ ...message('m1', 'c'), seq: 1 }, { ...message('m2', 'd'), seq: 2 }]);
        expect(await keeping.relay('c', message('m3', 'c'), 10, BUDGET, T0)).toEqual({ kind: 'not-in-chat' });
      } finally {
        await done?.();
      }
    });

    test('a message or typing never reaches a previous partner, whichever node ended the chat', async () => {
      await chatOf('a', 'b');
      expect(await store.relay('a', message('m1', 'a'), 10, BUDGET, T0)).toMatchObject({ kind: 'relayed', partnerId: 'b' });
      expect(await store.chatPeer('b')).toEqual({ partnerId: 'a', roomId: 'room-a-b' });
      // The other node ends the chat and pairs `a` again.
      await other.leave({ userId: 'b', now: T0 + 10, cooldownMs: 0, only: 'chat' });
      expect(await store.relay('b', message('m2', 'b'), 10, BUDGET, T0)).toEqual({ kind: 'not-in-chat' });
      expect(await store.chatPeer('b')).toBeNull();
      await other.enqueue('a', [], T0 + 20);
      await other.enqueue('c', [], T0 + 20);
      await other.commitPair({ a: 'a', b: 'c', roomId: 'room-a-c', now: T0 + 20, commonInterests: [], rematchWindowMs: WINDOW });
      expect(await store.relay('a', message('m3', 'a'), 10, BUDGET, T0 + 30)).toEqual({ kind: 'relayed', partnerId: 'c', roomId: 'room-a-c', seq: 1, epoch: expect.any(String) });
      expect(await store.chatPeer('a')).toEqual({ partnerId: 'c', roomId: 'room-a-c' });
      expect((await store.chatLog('room-a-c')).messages).toEqual([{ ...message('m3', 'a'), seq: 1 }]);
      expect(await store.chatPeer('c')).toEqual({ partnerId: 'a', roomId: 'room-a-c' });
    });

    test('a message meant for a chat that is over is stored nowhere, a retry of it included, whichever node relays it', async () => {
      await chatOf('a', 'b');
      expect(await store.relay('a', message('m1', 'a'), 10, BUDGET, T0, 0, 'k-1', 'room-a-b')).toMatchObject({ kind: 'relayed', seq: 1 });
      // `a` leaves and is paired with `c` before its next send (meant for `b`) arrives.
      await other.leave({ userId: 'a', now: T0 + 10, cooldownMs: 0, only: 'chat' });
      await other.enqueue('a', [], T0 + 20);
      await other.enqueue('c', [], T0 + 20);
      await other.commitPair({ a: 'a', b: 'c', roomId: 'room-a-c', now: T0 + 20, commonInterests: [], rematchWindowMs: WINDOW });
      for (const relay of [store, other]) {
        expect(await relay.relay('a', message('m2', 'a'), 10, BUDGET, T0 + 30, 0, 'k-2', 'room-a-b')).toEqual({ kind: 'not-in-chat' });
        expect(await relay.relay('a', message('m1-again', 'a'), 10, BUDGET, T0 + 30, 0, 'k-1', 'room-a-b')).toEqual({ kind: 'not-in-chat' });
      }
      expect((await store.chatLog('room-a-c')).messages).toEqual([]);
      // Meant for the chat it is in, it goes through.
      expect(await store.relay('a', message('m3', 'a'), 10, BUDGET, T0 + 40, 0, 'k-3', 'room-a-c')).toMatchObject({ kind: 'relayed', partnerId: 'c', seq: 1 });
    });

    test('a chat is a stream: gapless seq from 1 both ways under one epoch, and a clientId logged once per sender', async () => {
      await chatOf('a', 'b');
      const first = await store.relay('a', message('m1', 'a'), 10, BUDGET, T0, 0, 'c-1');
      expect(first).toMatchObject({ kind: 'relayed', seq: 1, epoch: expect.stringMatching(/^.+$/) });
      const epoch = first.kind === 'relayed' ? first.epoch : '';
      expect(await store.relay('b', message('m2', 'b'), 10, BUDGET, T0, 0, 'c-1')).toMatchObject({ kind: 'relayed', seq: 2, epoch });
      // A retry of a's first send, through either node: nothing logged, the first message answered.
      expect(await other.relay('a', message('m1-again', 'a'), 10, BUDGET, T0 + 1, 0, 'c-1')).toEqual({ kind: 'duplicate', message: { ...message('m1', 'a'), seq: 1 } });
      expect(await store.relay('a', message('m3', 'a'), 10, BUDGET, T0 + 2)).toMatchObject({ kind: 'relayed', seq: 3, epoch });
      const log = await other.chatLog('room-a-b');
      expect(log.epoch).toBe(epoch);
      expect(log.messages.map((m) => [m.seq, m.id])).toEqual([[1, 'm1'], [2, 'm2'], [3, 'm3']]);
      // Concurrent relays still number without a hole or a repeat.
      await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? store : other).relay(i % 2 ? 'a' : 'b', message(`p${i}`, i % 2 ? 'a' : 'b'), 100, BUDGET, T0 + 3)));
      expect((await store.chatLog('room-a-b')).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      // The next chat of the same users is a new stream.
      await store.leave({ userId: 'a', now: T0 + 10, cooldownMs: 0, only: 'chat' });
      await store.enqueue('a', [], T0 + 20);
      await store.enqueue('b', [], T0 + 20);
      await store.commitPair({ a: 'a', b: 'b', roomId: 'room-a-b-2', now: T0 + 20, commonInterests: [], rematchWindowMs: 0 });
      const next = await store.relay('a', message('n1', 'a'), 10, BUDGET, T0 + 21, 0, 'c-1');
      expect(next).toMatchObject({ kind: 'relayed', seq: 1 });
      expect(next.kind === 'relayed' && next.epoch).not.toBe(epoch);
    });

    test('sends by clientId are remembered for the kept window (the log cap) and no longer than twice that', async () => {
      await chatOf('a', 'b');
      const cap = 4;
      const send = (id: string, clientId?: string) => store.relay('a', message(id, 'a'), cap, BUDGET, T0, 0, clientId);
      expect(await send('m1', 'c-1')).toMatchObject({ kind: 'relayed', seq: 1 });
      for (let i = 2; i <= 7; i++) await send(`m${i}`);
      // Six messages later (more than the cap, less than twice it): still the first ack.
      expect(await other.relay('a', message('m1-again', 'a'), cap, BUDGET, T0, 0, 'c-1')).toMatchObject({ kind: 'duplicate', message: { id: 'm1', seq: 1 } });
      await send('m8');
      // Past twice the cap the chat no longer holds the first send (its log does not either): a new message.
      expect(await send('m1-late', 'c-1')).toMatchObject({ kind: 'relayed', seq: 9 });
      expect(await send('m1-late-again', 'c-1')).toMatchObject({ kind: 'duplicate', message: { id: 'm1-late', seq: 9 } });
    });

    test('a relay names the partner’s live connection as last attached, so its node can hand the message over directly', async () => {
      await store.connect({ userId: 'a', sid: 'sa1', nodeId: 'n1' });
      await store.connect({ userId: 'b', sid: 'sb1', nodeId: 'n1' });
      await chatOf('a', 'b');
      expect(await store.relay('a', message('m1', 'a'), 10, BUDGET, T0)).toEqual({
        kind: 'relayed',
        partnerId: 'b',
        roomId: 'room-a-b',
        seq: 1,
        epoch: expect.any(String),
        partnerSocket: { node: 'n1', sid: 'sb1' },
      });
      // The partner's connection drops and comes back on another node.
      await other.disconnect({ userId: 'b', sid: 'sb1', now: T0 + 1, cooldownMs: 0, graceMs: 1000 });
      expect(await other.connect({ userId: 'b', sid: 'sb2', nodeId: 'n2' })).toMatchObject({ kind: 'resumed', log: { messages: [{ ...message('m1', 'a'), seq: 1 }] } });
      expect(await store.relay('a', message('m2', 'a'), 10, BUDGET, T0 + 2)).toMatchObject({ partnerSocket: { node: 'n2', sid: 'sb2' } });
    });

    test('the chat peer names the partner’s live connection as last attached too (typing goes to it directly)', async () => {
      await store.connect({ userId: 'a', sid: 'sa1', nodeId: 'n1' });
      await store.connect({ userId: 'b', sid: 'sb1', nodeId: 'n1' });
      await chatOf('a', 'b');
      expect(await store.chatPeer('a')).toEqual({ partnerId: 'b', roomId: 'room-a-b', partnerSocket: { node: 'n1', sid: 'sb1' } });
      await other.disconnect({ userId: 'b', sid: 'sb1', now: T0 + 1, cooldownMs: 0, graceMs: 1000 });
      await other.connect({ userId: 'b', sid: 'sb2', nodeId: 'n2' });
      expect(await store.chatPeer('a')).toEqual({ partnerId: 'b', roomId: 'room-a-b', partnerSocket: { node: 'n2', sid: 'sb2' } });
    });

    test('relay spends the message budget in the chat, in one step with the log, and refills per window', async () => {
      // A window long enough that a starved machine cannot let it run out between the four sends below.
      const budget = { points: 3, windowMs: 2000 };
      // Outside a chat nothing is spent.
      expect(await store.relay('a', message('m0', 'a'), 10, budget, T0)).toEqual({ kind: 'not-in-chat' });
      await chatOf('a', 'b');
      expect(await store.relay('a', message('m0b', 'a'), 10, budget, T0)).toMatchObject({ kind: 'relayed' });
      expect(await store.relay('a', message('m1', 'a'), 10, budget, T0)).toMatchObject({ kind: 'relayed' });
      expect(await store.relay('a', message('m2', 'a'), 10, budget, T0)).toMatchObject({ kind: 'relayed' });
      const limited = await store.relay('a', message('m3', 'a'), 10, budget, T0);
      expect(limited).toEqual({ kind: 'rate-limited', retryAfterMs: expect.any(Number) });
      expect(limited.kind === 'rate-limited' && limited.retryAfterMs).toBeLessThanOrEqual(budget.windowMs);
      // The partner has a budget of its own.
      expect(await store.relay('b', message('m4', 'b'), 10, budget, T0)).toMatchObject({ kind: 'relayed' });
      // The window runs out (a backend may count it by the clock given or by its own): the budget is whole again.
      const later = T0 + budget.windowMs;
      await eventually(
        async () => expect(await store.relay('a', message('m5', 'a'), 10, budget, later)).toMatchObject({ kind: 'relayed' }),
        { intervalMs: 100 },
      );
      await store.connect({ userId: 'b', sid: 's1', nodeId: 'n1' });
      await store.disconnect({ userId: 'b', sid: 's1', now: later, cooldownMs: 0, graceMs: 1000 });
      const resumed = await store.connect({ userId: 'b', sid: 's2', nodeId: 'n1' });
      expect(resumed.kind === 'resumed' && resumed.log.messages.map((m) => m.id)).toEqual(['m0b', 'm1', 'm2', 'm4', 'm5']);
      expect(resumed.kind === 'resumed' && resumed.log.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    });
  });
}
