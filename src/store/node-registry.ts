/**
 * The node registry: each node's heartbeat and connection count, the sweep
 * of a node that stopped reporting, and the cluster-wide count of
 * connections per address that admits or refuses a new one.
 */
import type { DropResult } from './match-store';

export interface NodeReport {
  nodeId: string;
  connections: number;
}

export interface NodeRegistry {
  /**
   * Heartbeat of one node. Resolves to whether the node was listed already:
   * false for its first report, and for a node that was swept as dead (or
   * removed) since its last one.
   */
  reportNode(report: NodeReport, now: number): Promise<boolean>;
  removeNode(nodeId: string): Promise<void>;
  /** Nodes heard from within ttlMs. */
  nodes(now: number, ttlMs: number): Promise<NodeReport[]>;
  /** Nodes silent for longer than ttlMs (not yet swept). */
  deadNodes(now: number, ttlMs: number): Promise<string[]>;
  /** Treats every user of a dead node as disconnected now. */
  sweepNode(nodeId: string, now: number, cooldownMs: number, graceMs: number): Promise<(DropResult & { userId: string })[]>;
  /** Counts a connection from `ip` (an address's keyed hash: no raw address is stored) unless the cluster already holds `cap` of them. */
  admitIp(ip: string, nodeId: string, cap: number, now: number, nodeTtlMs: number): Promise<boolean>;
  /** Forgets one connection from `ip` on this node. */
  releaseIp(ip: string, nodeId: string): Promise<void>;
}
