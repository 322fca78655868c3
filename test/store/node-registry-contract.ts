/**
 * The behaviour every NodeRegistry must have: heartbeats, the sweep of a dead
 * node's users, and the cluster-wide count of connections per address. Run
 * against each backend by one-to-one-contract.ts.
 */
import type { OneToOneStore } from '../../src/store/one-to-one-store';
import { T0, useStores, type OneToOneFactory } from './one-to-one-fixture';

export function describeNodeRegistryContract(name: string, factory: OneToOneFactory): void {
  describe(`${name} node registry contract`, () => {
    let store: OneToOneStore;
    let other: OneToOneStore;
    const { pair, chatOf, counts, connectAs } = useStores(factory, (s, o) => {
      store = s;
      other = o;
    });

    test('sweeping a dead node drops its users but not those who moved on', async () => {
      await chatOf('a', 'b');
      await store.connect({ userId: 'a', sid: 's1', nodeId: 'dead' });
      await store.connect({ userId: 'b', sid: 's2', nodeId: 'live' });
      await store.connect({ userId: 'w', sid: 's3', nodeId: 'dead' });
      await store.enqueue('w', ['x'], T0);
      await store.connect({ userId: 'moved', sid: 's4', nodeId: 'dead' });
      await store.connect({ userId: 'moved', sid: 's5', nodeId: 'live' });
      await store.reportNode({ nodeId: 'dead', connections: 3 }, T0);
      await store.reportNode({ nodeId: 'live', connections: 2 }, T0 + 5000);
      expect(await store.deadNodes(T0 + 5000, 1000)).toEqual(['dead']);
      const swept = await store.sweepNode('dead', T0 + 5000, 0, 1000);
      expect(swept.sort((x, y) => x.userId.localeCompare(y.userId))).toEqual([
        { userId: 'a', kind: 'away', partnerId: 'b', roomId: 'room-a-b' },
        { userId: 'w', kind: 'search-ended' },
      ]);
      expect(await store.deadNodes(T0 + 5000, 1000)).toEqual([]);
      expect((await store.getUser('moved')).sid).toBe('s5');
      // a waits in the grace; b and moved are connected to the live node.
      expect(await store.counts()).toEqual({ online: 2, waiting: 0, waitingVideo: 0, chatting: 1, away: 1 });
    });

    test('a heartbeat tells whether the node was listed: not at first, then yes, and not again once it was swept', async () => {
      expect(await store.reportNode({ nodeId: 'n', connections: 1 }, T0)).toBe(false);
      expect(await store.reportNode({ nodeId: 'n', connections: 1 }, T0 + 100)).toBe(true);
      await store.sweepNode('n', T0 + 5000, 0, 1000);
      expect(await store.reportNode({ nodeId: 'n', connections: 1 }, T0 + 5100)).toBe(false);
      expect(await store.reportNode({ nodeId: 'n', connections: 1 }, T0 + 5200)).toBe(true);
    });

    test('sweeping a dead node moves its chatting users to away and its waiting users offline', async () => {
      await connectAs('a', 's1', 'dead');
      await connectAs('b', 's2', 'live');
      await connectAs('w', 's3', 'dead');
      await connectAs('i', 's4', 'dead');
      for (const id of ['a', 'b', 'w']) await store.enqueue(id, [], T0);
      await pair('a', 'b');
      expect(await counts()).toEqual({ online: 4, waiting: 1, waitingVideo: 0, chatting: 2, away: 0 });
      await store.sweepNode('dead', T0 + 5000, 0, 1000);
      expect(await counts()).toEqual({ online: 1, waiting: 0, waitingVideo: 0, chatting: 1, away: 1 });
      // The swept chat resumes like any other.
      await connectAs('a', 's5', 'live');
      expect(await counts()).toEqual({ online: 2, waiting: 0, waitingVideo: 0, chatting: 2, away: 0 });
    });

    test('nodes report heartbeats and drop out after their ttl', async () => {
      await store.reportNode({ nodeId: 'n1', connections: 3 }, T0);
      await store.reportNode({ nodeId: 'n2', connections: 4 }, T0 + 500);
      expect((await store.nodes(T0 + 600, 1000)).sort((x, y) => x.nodeId.localeCompare(y.nodeId))).toEqual([
        { nodeId: 'n1', connections: 3 },
        { nodeId: 'n2', connections: 4 },
      ]);
      expect(await store.nodes(T0 + 1200, 1000)).toEqual([{ nodeId: 'n2', connections: 4 }]);
      await store.removeNode('n2');
      expect(await store.nodes(T0 + 1200, 1000)).toEqual([]);
    });

    test('an address is admitted up to its cap across live nodes, and a released connection frees its place', async () => {
      await store.reportNode({ nodeId: 'n1', connections: 0 }, T0);
      await store.reportNode({ nodeId: 'n2', connections: 0 }, T0);
      expect(await store.admitIp('h1', 'n1', 2, T0, 10_000)).toBe(true);
      expect(await other.admitIp('h1', 'n2', 2, T0, 10_000)).toBe(true);
      expect(await store.admitIp('h1', 'n1', 2, T0, 10_000)).toBe(false);
      expect(await store.admitIp('h2', 'n1', 2, T0, 10_000)).toBe(true);
      await other.releaseIp('h1', 'n2');
      expect(await store.admitIp('h1', 'n1', 2, T0, 10_000)).toBe(true);
      expect(await store.admitIp('h1', 'n1', 2, T0, 10_000)).toBe(false);
    });
  });
}
