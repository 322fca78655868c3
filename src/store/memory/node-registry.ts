/** What the single node keeps of nodes and connections: heartbeats and per-IP connection counts. */
import type { NodeReport } from '../node-registry';

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
