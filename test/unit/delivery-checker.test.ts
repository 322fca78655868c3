import { DeliveryChecker, streamKeys, violationCount, type ReceiptRecord } from '../../testkit/delivery-checker';
import { StreamKeeper, type SyncAnswer } from '../../testkit/stream-keeper';

const S = streamKeys.chat('c1');

function receipt(recipient: string, id: string, seq: number, extra: Partial<ReceiptRecord> = {}): ReceiptRecord {
  return { recipient, stream: S, id, seq, epoch: 'e1', how: 'live', kept: true, at: 100 + seq, ...extra };
}

/** A chat of a and b where a sends `n` acknowledged messages m1…mn (seq 1…n). */
function chat(n: number): DeliveryChecker {
  const c = new DeliveryChecker();
  c.owe(S, 'a');
  c.owe(S, 'b');
  for (let i = 1; i <= n; i++) c.send({ stream: S, sender: 'a', clientId: `k${i}`, ack: { id: `m${i}`, seq: i }, at: 100 });
  return c;
}

describe('the delivery checker', () => {
  it('passes every acknowledged message kept once, in order, live or by recovery, and counts how it came', () => {
    const c = chat(3);
    c.receive(receipt('b', 'm1', 1));
    c.receive(receipt('b', 'm2', 2, { how: 'resumed' }));
    c.receive(receipt('b', 'm3', 3, { how: 'sync', at: 150 }));
    const r = c.check();
    expect(violationCount(r)).toBe(0);
    expect(r.counts).toMatchObject({ acked: 3, owed: 3, delivered: { live: 1, resumed: 1, sync: 1, join: 0 } });
    expect(r.delays).toContainEqual([100, 50]);
  });

  it('finds a lost message: acknowledged, owed, never kept', () => {
    const c = chat(3);
    c.receive(receipt('b', 'm1', 1));
    c.receive(receipt('b', 'm3', 3));
    const r = c.check();
    expect(r.counts.lost).toBe(1);
    expect(r.violations.lost[0]).toMatch(/m2 \(seq 2\) from a .* never kept by b/);
  });

  it('finds a message kept twice, and counts apart a copy the recipient dropped as held', () => {
    const c = chat(2);
    c.receive(receipt('b', 'm1', 1));
    c.receive(receipt('b', 'm1', 1, { how: 'resumed', kept: false }));
    c.receive(receipt('b', 'm2', 2));
    expect(c.check().counts).toMatchObject({ duplicated: 0, rawDuplicates: { resumed: 1, live: 0 } });

    const d = chat(2);
    d.receive(receipt('b', 'm1', 1));
    d.receive(receipt('b', 'm2', 2));
    d.receive(receipt('b', 'm2', 2, { how: 'sync' }));
    const r = d.check();
    expect(r.counts.duplicated).toBe(1);
    expect(r.violations.duplicated[0]).toMatch(/b in chat:c1 kept m2 \(seq 2\) 2 times: live, sync/);
  });

  it('finds messages kept out of seq order, and starts over on another epoch', () => {
    const c = chat(2);
    c.receive(receipt('b', 'm2', 2));
    c.receive(receipt('b', 'm1', 1));
    expect(c.check().violations['out of order']).toEqual(['b in chat:c1 kept seq 1 (live) after 2']);

    const d = chat(0);
    d.receive(receipt('b', 'x5', 5));
    d.receive(receipt('b', 'y1', 1, { epoch: 'e2' }));
    expect(d.check().counts.outOfOrder).toBe(0);
  });

  it('finds a clientId whose retries were stored as two messages; one stored once passes', () => {
    const c = new DeliveryChecker();
    c.send({ stream: S, sender: 'a', clientId: 'k1', at: 1 }); // the ack was lost
    c.send({ stream: S, sender: 'a', clientId: 'k1', ack: { id: 'm1', seq: 1 }, at: 2 });
    c.send({ stream: S, sender: 'a', clientId: 'k1', ack: { id: 'm1', seq: 1 }, at: 3 });
    expect(c.check().counts).toMatchObject({ retries: 2, clientIdStoredTwice: 0, acked: 1 });

    const d = new DeliveryChecker();
    d.send({ stream: S, sender: 'a', clientId: 'k1', ack: { id: 'm1', seq: 1 }, at: 1 });
    d.send({ stream: S, sender: 'a', clientId: 'k1', ack: { id: 'm2', seq: 2 }, at: 2 });
    expect(d.check().violations['clientId stored twice']).toEqual(['a in chat:c1: clientId k1 acked as m1 and m2']);
  });

  it('owes a released recipient only up to its last seq, and nothing of its own messages', () => {
    const c = chat(3);
    c.send({ stream: S, sender: 'b', ack: { id: 'b4', seq: 4 }, at: 100 });
    c.receive(receipt('b', 'm1', 1));
    c.release(S, 'b', 1, 'gone past the grace');
    c.receive(receipt('a', 'b4', 4));
    const r = c.check();
    expect(violationCount(r)).toBe(0);
    expect(r.counts.notOwed).toEqual({ 'gone past the grace': 2 });
  });

  it('judges a settled stream once and forgets it', () => {
    const c = chat(1);
    c.settle(S);
    expect(c.streams()).toEqual([]);
    expect(c.check().counts.lost).toBe(1);
  });
});

describe('the stream keeper', () => {
  function keeper(answers: SyncAnswer[]): { k: StreamKeeper; checker: DeliveryChecker; delivered: number[]; asked: number[] } {
    const checker = new DeliveryChecker();
    const delivered: number[] = [];
    const asked: number[] = [];
    const k = new StreamKeeper({
      stream: S,
      recipient: () => 'b',
      record: (r) => checker.receive(r),
      deliver: (item) => delivered.push(item.seq),
      sync: async (afterSeq) => {
        asked.push(afterSeq);
        return answers.shift() ?? null;
      },
    });
    return { k, checker, delivered, asked };
  }
  const item = (seq: number, mine = false) => ({ id: `m${seq}`, seq, epoch: 'e1', mine });

  it('drops a seq it holds, fills a hole by sync, and hands everything over once in order', async () => {
    const { k, checker, delivered, asked } = keeper([{ epoch: 'e1', lastSeq: 4, messages: [item(2), item(3, true), item(4)], hasMore: false }]);
    k.offer(item(1), 'live');
    k.offer(item(1), 'resumed');
    k.offer(item(4), 'live');
    await k.idle();
    expect(asked).toEqual([1]);
    expect(delivered).toEqual([1, 2, 4]);
    checker.owe(S, 'b');
    for (const seq of [1, 2, 4]) checker.send({ stream: S, sender: 'a', ack: { id: `m${seq}`, seq }, at: 0 });
    const r = checker.check();
    expect(violationCount(r)).toBe(0);
    expect(r.counts.rawDuplicates).toMatchObject({ resumed: 1, sync: 1 }); // m1 again, and m4 of the sync (the parked live copy went first)
  });

  it('goes on past a hole the log no longer holds', async () => {
    const empty = { epoch: 'e1', lastSeq: 3, messages: [], hasMore: false };
    const { k, delivered } = keeper([empty, empty]);
    k.offer(item(1), 'live');
    k.offer(item(3), 'live');
    await k.idle();
    expect(delivered).toEqual([1, 3]);
  });
});
