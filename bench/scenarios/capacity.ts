/**
 * capacity: the workload model (bench/workload) at growing numbers of
 * concurrent users, on 1 node and on 2 nodes (Redis + PostgreSQL), until a
 * service level breaks. The nodes are pinned to core(s) of their own and
 * everything else to the others (bench/lib/pinning.ts), where taskset and a
 * second core allow. Each step ramps to its users at the model's arrival
 * rate, lets them settle, then measures a window: pairing waits of users who
 * can be paired, one-way latencies, the nodes' event-loop lag, CPU by process
 * group (the load processes apart), RSS, Redis and PostgreSQL load, and the
 * invariant violations the users and the bench's ledger saw.
 */
import type { BenchContext } from '../lib/context';
import { pinBench, type Pinning } from '../lib/pinning';
import { sleep } from '../lib/procs';
import { round } from '../lib/stats';
import type { WorkloadModel } from '../workload/model';
import { measureWindow, rampTo, startStand, type WindowFigures } from '../workload/stand';

/** The service level a step must hold. */
export const SLO = { waitP99Ms: 1000, oneWayP99Ms: 50, lagP99Ms: 50, violations: 0 } as const;

export interface CapacityOptions {
  model: WorkloadModel;
  /** Concurrent users per step (ascending). */
  steps: number[];
  /** Measured seconds per step. */
  stepSeconds: number;
  /** Node counts to ramp (1 and 2). */
  nodeCounts: number[];
  processes: number;
}

export interface CapacityStep extends WindowFigures {
  target: number;
  held: boolean;
  /** Which service levels broke. */
  broke: string[];
}

export interface CapacityRun {
  nodes: number;
  steps: CapacityStep[];
  /** Largest step that held (0: none). */
  largestHeld: number;
  perNode: number;
  /** Users per core the nodes used at that step. */
  perNodeCore: number;
  /** Users per core the nodes were pinned to (0 when not pinned; absent in results from before pinning). */
  perPinnedCore?: number;
  pinning?: Pinning;
  violationExamples: string[];
  seedErrors: number;
}

export interface CapacityResult {
  model: WorkloadModel;
  slo: typeof SLO;
  stepSeconds: number;
  processes: number;
  runs: CapacityRun[];
}

export function capacityDefaults(mode: BenchContext['mode']): Omit<CapacityOptions, 'model'> {
  if (mode === 'smoke') return { steps: [40], stepSeconds: 3, nodeCounts: [1, 2], processes: 1 };
  if (mode === 'quick') return { steps: [250, 500, 1000, 1500, 2000, 3000, 4000, 5000, 7000, 10_000], stepSeconds: 20, nodeCounts: [1, 2], processes: 2 };
  return { steps: [1000, 2000, 3000, 4000, 5000, 7000, 10_000, 15_000, 20_000], stepSeconds: 60, nodeCounts: [1, 2], processes: 2 };
}

export function judge(f: WindowFigures): string[] {
  const broke: string[] = [];
  // A window with no pair made (or no message delivered) broke too: its users waited the whole window.
  if (!(f.waitMs.p99 <= SLO.waitP99Ms)) broke.push(Number.isFinite(f.waitMs.p99) ? `pairing wait p99 ${f.waitMs.p99} ms` : 'no pair made in the window');
  if (!(f.oneWayMs.p99 <= SLO.oneWayP99Ms)) broke.push(Number.isFinite(f.oneWayMs.p99) ? `message one-way p99 ${f.oneWayMs.p99} ms` : 'no message delivered in the window');
  if (!(f.lagP99Ms <= SLO.lagP99Ms)) broke.push(`event-loop lag p99 ${f.lagP99Ms} ms`);
  if (f.violations > SLO.violations) broke.push(`${f.violations} invariant violation(s)`);
  return broke;
}

export async function capacity(ctx: BenchContext, options: CapacityOptions): Promise<CapacityResult> {
  const runs: CapacityRun[] = [];
  for (const nodes of options.nodeCounts) {
    ctx.progress.step(`capacity: ${nodes} node${nodes > 1 ? 's' : ''}, Redis and PostgreSQL`);
    const pinning = pinBench(nodes, (line) => {
      ctx.progress.clear();
      process.stderr.write(`${line}\n`);
    });
    const stand = await startStand(ctx, nodes, options.model, options.processes, Boolean(ctx.cpuProfDir)).catch((err: unknown) => {
      pinning.release();
      throw err;
    });
    pinning.pinNodes(stand.cluster.nodes.map((n) => n.proc.pid));
    const steps: CapacityStep[] = [];
    try {
      for (const target of options.steps) {
        ctx.progress.step(`capacity ${nodes}n: ramping to ${target} users`);
        const reached = await rampTo(stand, target, options.model, options.processes, (n) => ctx.progress.update(`${n}/${target}`));
        // The arrival burst of the ramp settles into the model's steady state first.
        await sleep(Math.min(10, options.stepSeconds / 4) * 1000);
        ctx.progress.step(`capacity ${nodes}n: ${target} users (${reached} there), measuring ${options.stepSeconds} s`);
        const profile = ctx.cpuProfDir ? { dir: ctx.cpuProfDir, label: `capacity-${nodes}n-${target}` } : undefined;
        const figures = await measureWindow(stand, options.stepSeconds, profile);
        const broke = judge(figures);
        if (reached < target * 0.95) broke.push(`only ${reached} of ${target} users could connect`);
        steps.push({ ...figures, target, held: broke.length === 0, broke });
        if (broke.length) break;
      }
    } finally {
      await stand.stop();
      pinning.release();
    }
    // Violations the last judgement found (after the drain) belong to the last step.
    const last = steps.at(-1);
    const after = stand.fleet.ledger.total() - steps.reduce((a, s) => a + s.violations, 0);
    if (last && after > 0) {
      last.violations += after;
      last.broke = judge(last);
      last.held = last.broke.length === 0;
    }
    let largest: CapacityStep | undefined;
    for (const s of steps) if (s.held) largest = s;
    else break;
    runs.push({
      nodes,
      steps,
      largestHeld: largest?.target ?? 0,
      perNode: largest ? Math.round(largest.target / nodes) : 0,
      perNodeCore: largest && largest.cpu.nodes > 0 ? Math.round(largest.target / largest.cpu.nodes) : 0,
      perPinnedCore: largest && pinning.pinned ? Math.round(largest.target / pinning.nodeCores.length) : 0,
      pinning: { nodeCores: pinning.nodeCores, otherCores: pinning.otherCores, pinned: pinning.pinned, note: pinning.note },
      violationExamples: stand.fleet.ledger.examples,
      seedErrors: stand.fleet.seedErrors,
    });
  }
  return { model: options.model, slo: SLO, stepSeconds: options.stepSeconds, processes: options.processes, runs };
}

export const usersPerCore = (s: CapacityStep): number => (s.cpu.nodes > 0 ? round(s.users / s.cpu.nodes, 0) : NaN);
