/**
 * The single node's node registry: heartbeats, the sweep of a silent node
 * (on the one-to-one state it shares) and per-IP connection counts.
 */
import type { DropResult } from '../match-store';
import type { NodeRegistry, NodeReport } from '../node-registry';
import type { MemoryMatchState } from './match-state';

export class MemoryNodeRegistry implements NodeRegistry {
  private readonly heartbeats = new Heartbeats();
  private readonly ipCounts = new IpCounts();

  constructor(private readonly state: MemoryMatchState) {}

  async sweepNode(nodeId: string, now: number, cooldownMs: number, graceMs: number): Promise<(DropResult & { userId: string })[]> {
    const s = this.state;
    const out: (DropResult & { userId: string })[] = [];
    for (const userId of s.nodeUsers.get(nodeId) ?? []) {
      if (s.users.get(userId)?.node === nodeId) out.push({ userId, ...s.dropConnection(userId, now, cooldownMs, graceMs) });
    }
    s.nodeUsers.delete(nodeId);
    this.heartbeats.remove(nodeId);
    return out;
  }

  async deadNodes(now: number, ttlMs: number): Promise<string[]> {
    return this.heartbeats.silent(now, ttlMs);
  }

  async reportNode(report: NodeReport, now: number): Promise<boolean> {
    return this.heartbeats.report(report, now);
  }

  async removeNode(nodeId: string): Promise<void> {
    this.heartbeats.remove(nodeId);
  }

  async nodes(now: number, ttlMs: number): Promise<NodeReport[]> {
    return this.heartbeats.live(now, ttlMs);
  }

  async admitIp(ip: string, _nodeId: string, cap: number): Promise<boolean> {
    return this.ipCounts.admit(ip, cap);
  }

  async releaseIp(ip: string): Promise<void> {
    this.ipCounts.release(ip);
  }
}

/** Node heartbeats: each node's connection count and when it last reported. */
export class Heartbeats {
  private readonly reports = new Map<string, { connections: number; at: number }>();

  /** Returns whether the node was listed already. */
  report(report: NodeReport, now: number): boolean {
    const listed = this.reports.has(report.nodeId);
    this.reports.set(report.nodeId, { connections: report.connections, at: now });
    return listed;
  }

  remove(nodeId: string): void {
    this.reports.delete(nodeId);
  }

  /** Nodes heard from within ttlMs. */
  live(now: number, ttlMs: number): NodeReport[] {
    return [...this.reports.entries()]
      .filter(([, r]) => r.at >= now - ttlMs)
      .map(([nodeId, r]) => ({ nodeId, connections: r.connections }));
  }

  /** Nodes silent for longer than ttlMs. */
  silent(now: number, ttlMs: number): string[] {
    return [...this.reports.entries()].filter(([, r]) => r.at < now - ttlMs).map(([nodeId]) => nodeId);
  }
}

/** Live connections per IP address in this process: the single node's admission count. */
export class IpCounts {
  private readonly counts = new Map<string, number>();

  /** Counts one more connection from `ip` unless it already holds `cap`. */
  admit(ip: string, cap: number): boolean {
    const count = this.counts.get(ip) ?? 0;
    if (count >= cap) return false;
    this.counts.set(ip, count + 1);
    return true;
  }

  release(ip: string): void {
    const count = (this.counts.get(ip) ?? 0) - 1;
    if (count > 0) this.counts.set(ip, count);
    else this.counts.delete(ip);
  }
}
