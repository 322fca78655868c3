/**
 * `npm run bench` — starts its own Redis and parley nodes, drives them with
 * socket.io-client, and writes JSON results plus a markdown report with SVG
 * charts. Every process it starts is stopped by PID at the end, on error and
 * on Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../testkit/paths';
import type { BenchContext, Mode } from './lib/context';
import { summarizeDir } from './lib/profile';
import { ProcessGroup } from '../testkit/processes';
import { Progress } from './lib/progress';
import { summaryTable, targets, writeReport } from './lib/report';
import type { Results } from './lib/report-types';
import { adapterFanIn } from './scenarios/adapter-fan-in';
import { capacity, capacityDefaults } from './scenarios/capacity';
import { connections } from './scenarios/connections';
import { deepPool } from './scenarios/deep-pool';
import { dm } from './scenarios/dm';
import { history } from './scenarios/history';
import { manyIdle } from './scenarios/many-idle';
import { pairBurst } from './scenarios/pair-burst';
import { phoneLoad } from './scenarios/phone-load';
import { callSetup } from './scenarios/call-setup';
import { poolScaling } from './scenarios/pool-scaling';
import { redisCluster } from './scenarios/redis-cluster';
import { relay } from './scenarios/relay';
import { roomFanout } from './scenarios/room-fanout';
import { shardSpread } from './scenarios/shard-spread';

import { soak } from './scenarios/soak';
import { parseModel, DEFAULT_MODEL, type WorkloadModel } from './workload/model';

const SCENARIOS = [
  'pair-burst', 'pool-scaling', 'deep-pool', 'relay', 'connections', 'room-fanout', 'history', 'dm',
  'shard-spread', 'adapter-fan-in', 'redis-cluster', 'capacity', 'soak', 'phone-load', 'call-setup', 'many-idle',
] as const;
type Scenario = (typeof SCENARIOS)[number];

/** Items joined by commas, wrapped at `width` with `indent` spaces. */
function wrap(items: string[], indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && indent + line.length + item.length + 1 > width) (lines.push(line), (line = ''));
    line += `${item},`;
  }
  lines.push(line.slice(0, -1));
  return lines.map((l) => ' '.repeat(indent) + l).join('\n');
}

const HELP = `Usage: npm run bench -- [options]

Benchmarks a parley cluster on this machine: starts redis-server and parley
nodes (dist/main.js, build it first with \`npm run build\`), drives them with
socket.io-client, writes results.json, report.md and SVG charts.

Scenarios: ${SCENARIOS.join(', ')}

Options:
  --smoke              seconds, small N; checks the harness works (CI). Results go
                       to a temp folder unless --out is given. Exits 0 even when a
                       target is missed, non-zero when the harness breaks.
  --quick              smaller sizes and shorter phases (a few minutes)
  --seconds N          length of each timed relay phase (default 10, quick 5, smoke 2)
  --only a,b           run only these scenarios
  --scenario a,b       the same as --only
  --out DIR            output folder (default bench/results/latest)
  --profile            run nodes with --cpu-prof; profiles and their summary
                       go to <out>/profiles (capacity profiles each measured
                       window through the inspector instead:
                       capacity-<nodes>n-<users>-<node>.cpuprofile and .json;
                       node dist-bench/bench/attribute.js <file|folder> gives
                       where the node's CPU went, by activity)
  --no-docs            do not copy the report to docs/benchmarks.md
  --help               this text

shard-spread, adapter-fan-in and redis-cluster also start a Redis Cluster of
3 masters and 3 replicas on free loopback ports (testkit/redis-cluster.ts,
redis-cli --cluster create) and run the nodes with REDIS_CLUSTER_NODES:
  shard-spread     commands per master (INFO commandstats) for pairing, chat,
                   topic-room and direct-message traffic, one kind at a time
  adapter-fan-in   pub/sub messages each node receives per chat message
                   relayed: one Redis (classic adapter) vs the cluster
                   (sharded adapter)
  redis-cluster    pair-burst and relay on the cluster next to one Redis in
                   the same run, as ratios cluster ÷ one Redis

capacity and soak (the workload model, see docs/benchmarks.md):
  --steps a,b,…        concurrent users per capacity step (default 1000,2000,
                       3000,4000,5000,7000,10000,15000,20000; quick 250,500,
                       1000,1500,2000,3000,4000,5000,7000,10000; smoke 40)
  --nodes a,b          node counts capacity ramps (default 1,2); the nodes are
                       pinned to their own core(s) with taskset, the rest of
                       the bench to the others (a warning when it cannot)
  --step-seconds N     measured seconds per step (default 60, quick 20, smoke 3)
  --load-processes N   load-generator processes (default 2, smoke 1)
  --minutes N          soak length (default 30, quick 3, smoke 0.05)
  --users N            soak at N users
  --capacity-from F    soak at 70 % of the 1-node capacity in results.json F
                       (else 70 % of the capacity measured earlier in the run,
                       else soak measures it first with short quick steps)
  --workload k=v,…     workload model parameters; keys and defaults:
${wrap(Object.entries(DEFAULT_MODEL).map(([k, v]) => `${k}=${v}`), 23, 78)}

phone-load drives headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium):
first render and interactive of the page on a phone profile (CPU 4×, slow 4G)
next to the same loads unthrottled.

call-setup starts 2 nodes sharing Redis, coturn (turnserver) on loopback and
headless Chromium with its fake camera and microphone: 10 pairs choose video,
relayed through TURN only; from matched to the first remote video frame, p50
and p99, and the call-signal round trip across the nodes.

many-idle runs the deployment as it is: deploy/cluster.sh up (3 nodes, Redis,
PostgreSQL, nginx of 8 workers with reuseport) on free loopback ports, then
holds idle WebSocket clients through nginx (50,000; quick 6,000; smoke 300)
from several loopback source addresses (127.0.0.2, …), one forked load
generator each, the same number on every node. Per node: RSS per connection,
event-loop probe p99, open files against the limit; connect time and Redis
memory. It raises the soft open-file limit to the hard one where it needs to
and says what it could not raise. Needs nginx (apt-get install nginx).

room-fanout, history, dm, shard-spread, capacity, soak and many-idle also start a
throwaway PostgreSQL (apt package postgresql; as root it runs through
runuser -u postgres).

Environment: MATCH_SCAN_PAGE, MATCH_SCAN_STEP_MS and MATCH_RESCAN_MS, when set,
are passed to the nodes of deep-pool (defaults 100, 20 and 10000).
WORKLOAD_TRACE=DIR makes the load processes of capacity and soak write what
each chat user saw to DIR/<pid>.log (to follow a reported violation).
`;

interface Options {
  mode: Mode;
  seconds: number;
  only: Scenario[];
  out: string;
  profile: boolean;
  docs: boolean;
  steps?: number[];
  nodeCounts?: number[];
  stepSeconds?: number;
  loadProcesses?: number;
  minutes?: number;
  users?: number;
  capacityFrom?: string;
  model?: WorkloadModel;
}

function parseArgs(argv: string[]): Options {
  let mode: Mode = 'full';
  let seconds: number | undefined;
  let only: Scenario[] = [...SCENARIOS];
  let out: string | undefined;
  let profile = false;
  let docs = true;
  const extra: Partial<Options> = {};
  const positive = (arg: string, v: string, max: number): number => {
    const n = Number(v);
    if (!(n > 0 && n <= max)) throw new UsageError(`${arg} must be a number between 0 and ${max}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        process.exit(0);
        break;
      case '--smoke':
        mode = 'smoke';
        break;
      case '--quick':
        mode = 'quick';
        break;
      case '--seconds':
        seconds = Number(value());
        if (!(seconds > 0 && seconds <= 600)) throw new UsageError('--seconds must be between 0 and 600');
        break;
      case '--only':
      case '--scenario': {
        const names = value().split(',').map((s) => s.trim());
        for (const n of names) if (!(SCENARIOS as readonly string[]).includes(n)) throw new UsageError(`unknown scenario "${n}"`);
        only = names as Scenario[];
        break;
      }
      case '--out':
        out = path.resolve(value());
        break;
      case '--profile':
        profile = true;
        break;
      case '--no-docs':
        docs = false;
        break;
      case '--steps':
        extra.steps = value().split(',').map((v) => Math.round(positive(arg, v, 1_000_000)));
        break;
      case '--nodes':
        extra.nodeCounts = value().split(',').map((v) => Math.round(positive(arg, v, 16)));
        break;
      case '--step-seconds':
        extra.stepSeconds = positive(arg, value(), 3600);
        break;
      case '--load-processes':
        extra.loadProcesses = Math.round(positive(arg, value(), 64));
        break;
      case '--minutes':
        extra.minutes = positive(arg, value(), 24 * 60);
        break;
      case '--users':
        extra.users = Math.round(positive(arg, value(), 1_000_000));
        break;
      case '--capacity-from':
        extra.capacityFrom = path.resolve(value());
        break;
      case '--workload':
        try {
          extra.model = parseModel(value());
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        break;
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return {
    mode,
    seconds: seconds ?? (mode === 'smoke' ? 2 : mode === 'quick' ? 5 : 10),
    only,
    out: out ?? (mode === 'smoke' ? mkdtempSync(path.join(os.tmpdir(), 'parley-bench-')) : path.join(ROOT, 'bench', 'results', 'latest')),
    profile,
    docs: docs && mode !== 'smoke',
    ...extra,
  };
}

class UsageError extends Error {}

/** 70 % of the 1-node capacity measured earlier in this run, if any (smoke: its only step). */
function heldFrom(results: Results): number | undefined {
  const run = results.capacity?.runs.find((r) => r.nodes === 1);
  if (!run) return undefined;
  const held = run.largestHeld || (results.mode === 'smoke' ? run.steps[0]?.target : 0);
  return held ? Math.max(2, Math.round(held * 0.7)) : undefined;
}

function machine(): Results['machine'] {
  let redis = 'unknown';
  try {
    redis = /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? redis;
  } catch {
    /* reported as unknown */
  }
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    redis,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`bench: ${err.message}\n\n${HELP}`);
      return 2;
    }
    throw err;
  }
  if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) {
    process.stderr.write('bench: dist/main.js is missing; run `npm run build` first\n');
    return 2;
  }

  const group = new ProcessGroup();
  const progress = new Progress();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      group.killAllNow();
      process.exit(130);
    }
    interrupted = true;
    progress.clear();
    process.stderr.write(`\nbench: ${signal}, stopping ${group.size()} process(es)…\n`);
    void group.stopAll().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => group.killAllNow());

  mkdirSync(options.out, { recursive: true });
  const cpuProfDir = options.profile ? path.join(options.out, 'profiles') : undefined;
  const ctx: BenchContext = { group, progress, mode: options.mode, seconds: options.seconds, cpuProfDir };
  const argv = process.argv.slice(2).filter((a) => a !== '--no-docs');
  const results: Results = {
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    mode: options.mode,
    startedAt: new Date().toISOString(),
    durationS: 0,
    machine: machine(),
  };
  const t0 = Date.now();
  try {
    if (options.only.includes('pair-burst')) results.pairBurst = await pairBurst(ctx);
    if (options.only.includes('pool-scaling')) results.poolScaling = await poolScaling(ctx);
    if (options.only.includes('deep-pool')) results.deepPool = await deepPool(ctx);
    if (options.only.includes('relay')) results.relay = await relay(ctx);
    if (options.only.includes('connections')) results.connections = await connections(ctx);
    if (options.only.includes('room-fanout')) results.roomFanout = await roomFanout(ctx);
    if (options.only.includes('history')) results.history = await history(ctx);
    if (options.only.includes('dm')) results.dm = await dm(ctx);
    if (options.only.includes('shard-spread')) results.shardSpread = await shardSpread(ctx);
    if (options.only.includes('adapter-fan-in')) results.adapterFanIn = await adapterFanIn(ctx);
    if (options.only.includes('redis-cluster')) results.redisCluster = await redisCluster(ctx);
    // A smoke run's users think fast, so a few seconds hold messages of every kind.
    const model = options.model ?? (options.mode === 'smoke' ? { ...DEFAULT_MODEL, thinkS: 0.5, roomThinkS: 1, dmThinkS: 1, sessionS: 30 } : DEFAULT_MODEL);
    const capDefaults = capacityDefaults(options.mode);
    const processes = options.loadProcesses ?? capDefaults.processes;
    if (options.only.includes('capacity')) {
      results.capacity = await capacity(ctx, {
        ...capDefaults,
        steps: options.steps ?? capDefaults.steps,
        nodeCounts: options.nodeCounts ?? capDefaults.nodeCounts,
        stepSeconds: options.stepSeconds ?? capDefaults.stepSeconds,
        processes,
        model,
      });
    }
    if (options.only.includes('phone-load')) results.phoneLoad = await phoneLoad(ctx);
    if (options.only.includes('call-setup')) results.callSetup = await callSetup(ctx);
    if (options.only.includes('many-idle')) results.manyIdle = await manyIdle(ctx);
    if (options.only.includes('soak')) {
      const earlier = options.users === undefined && !options.capacityFrom ? heldFrom(results) : undefined;
      results.soak = await soak(ctx, {
        model,
        minutes: options.minutes ?? (options.mode === 'smoke' ? 0.05 : options.mode === 'quick' ? 3 : 30),
        users: options.users ?? earlier,
        usersFrom: earlier ? '70 % of the 1-node capacity measured above' : undefined,
        capacityFrom: options.capacityFrom,
        processes,
      });
    }
  } catch (err) {
    progress.clear();
    process.stderr.write(`bench: harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await group.stopAll();
    return 1;
  }
  await group.stopAll();
  results.durationS = (Date.now() - t0) / 1000;
  if (cpuProfDir) results.profiles = summarizeDir(cpuProfDir);

  writeFileSync(path.join(options.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const report = writeReport(results, options.out, './');
  writeFileSync(path.join(options.out, 'report.md'), `${report}\n`);
  if (options.docs) {
    const docsReport = writeReport(results, options.out, `../${path.relative(ROOT, options.out)}/`);
    writeFileSync(path.join(ROOT, 'docs', 'benchmarks.md'), `${docsReport}\n`);
  }
  progress.clear();
  process.stdout.write(`\n${summaryTable(results)}\n\nresults: ${options.out}\n`);

  // A smoke run checks the harness: every scenario must have produced figures.
  const produced = targets(results).every((t) => !t.measured.includes('NaN'));
  if (!produced) {
    process.stderr.write('bench: some scenario produced no figures\n');
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

