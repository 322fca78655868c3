/**
 * The cluster's node registry: heartbeats, the sweep of a silent node's
 * users (./lua/nodes) and the cluster-wide count of connections per address.
 */
import type { DropResult } from '../match-store';
import type { NodeRegistry, NodeReport } from '../node-registry';
import { toDrop } from './match-replies';
import { RedisMatchPart } from './match-state';

export class RedisNodeRegistry extends RedisMatchPart implements NodeRegistry {
  sweepNode(nodeId: string, now: number, cooldownMs: number, graceMs: number): Promise<(DropResult & { userId: string })[]> {
    return this.guard('sweepNode', async () => {
      const flat = (await this.redis.sweepNode(this.keys.waiting, this.keys.base, nodeId, now, cooldownMs, graceMs)) as string[];
      const out: (DropResult & { userId: string })[] = [];
      for (let i = 0; i + 4 < flat.length; i += 5) out.push({ userId: flat[i]!, ...toDrop(flat[i + 1], flat[i + 2], flat[i + 3], flat[i + 4]) });
      const ended = out.filter((d) => d.kind === 'chat-ended');
      await this.chats.close(ended.map((d) => d.roomId ?? ''), ended.flatMap((d) => [d.userId, d.partnerId ?? '']));
      await this.removeNode(nodeId);
      return out;
    });
  }

  reportNode(report: NodeReport, now: number): Promise<boolean> {
    return this.guard('reportNode', async () => {
      const replies = await this.redis
        .multi()
        .zadd(this.keys.nodes, now, report.nodeId)
        .hset(this.keys.nodeConnections, report.nodeId, report.connections)
        .exec();
      const [added] = replies ?? [];
      if (!added || added[0]) throw added?.[0] ?? new Error('heartbeat not written');
      // ZADD answers how many members it added: 0 when the node was listed.
      return added[1] === 0;
    });
  }

  deadNodes(now: number, ttlMs: number): Promise<string[]> {
    return this.guard('deadNodes', () => this.redis.zrangebyscore(this.keys.nodes, '-inf', `(${now - ttlMs}`));
  }

  removeNode(nodeId: string): Promise<void> {
    return this.guard('removeNode', async () => {
      await this.redis
        .multi()
        .zrem(this.keys.nodes, nodeId)
        .hdel(this.keys.nodeConnections, nodeId)
        .del(this.keys.ipConnections(nodeId))
        .exec();
    });
  }

  nodes(now: number, ttlMs: number): Promise<NodeReport[]> {
    return this.guard('nodes', async () => {
      const ids = await this.redis.zrangebyscore(this.keys.nodes, now - ttlMs, '+inf');
      if (ids.length === 0) return [];
      const counts = await this.redis.hmget(this.keys.nodeConnections, ...ids);
      return ids.map((nodeId, i) => ({ nodeId, connections: Number(counts[i] ?? 0) }));
    });
  }

  admitIp(ip: string, nodeId: string, cap: number, now: number, nodeTtlMs: number): Promise<boolean> {
    return this.guard('admitIp', async () => (await this.redis.ipConnect(this.keys.waiting, this.keys.base, ip, nodeId, cap, now - nodeTtlMs)) === 1);
  }

  releaseIp(ip: string, nodeId: string): Promise<void> {
    return this.guard('releaseIp', async () => {
      const key = this.keys.ipConnections(nodeId);
      // Never below zero, even after the counts were lost.
      if ((await this.redis.hincrby(key, ip, -1)) <= 0) await this.redis.hdel(key, ip);
    });
  }
}
