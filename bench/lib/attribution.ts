/**
 * Where a node's CPU goes, by activity: reads a V8 CPU profile (.cpuprofile)
 * and gives every sample one activity by its call stack, and one layer by the
 * function it was in (its self time). Activities are decided by ordered rules
 * on the stack's frames: the first rule any frame matches wins, so a specific
 * activity (resume, pairing, relay, …) goes before the generic frames every
 * event passes through (dispatch, the connection). Samples with no parley
 * activity on their stack are named by what they were doing: GC, Redis
 * replies, Socket.IO/Engine.IO framing and the adapter, timers, and so on.
 */

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber?: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A rule matches a frame when every pattern it has matches (url and/or function name). */
export interface Rule {
  name: string;
  url?: RegExp;
  fn?: RegExp;
}

/** parley's own files: dist/ (the built node) or src/, never a package's dist/. */
const DIST = String.raw`^(?!.*node_modules/).*/(?:dist|src)/`;
const parley = (path: string): RegExp => new RegExp(`${DIST}(?:${path})\\.[jt]s$`);
/** parley's files apart from its Redis write coalescing, which is counted as Redis client. */
const PARLEY = new RegExp(`${DIST}(?!store/redis/coalesced-writes\\.)`);

/**
 * Activities, first match wins (anywhere on the stack). parley's files are
 * matched in dist/ (the built node) or src/.
 */
export const ACTIVITY_RULES: Rule[] = [
  { name: 'loading code (startup, lazy requires)', url: /^node:internal\/modules\// },
  { name: 'resume (reconnect with a token, catch-up)', url: parley('chat/resume|realtime/resume|realtime/resume-after-connect|realtime/chat-catch-up|realtime/take-back|realtime/handlers/streams/[^/]+') },
  { name: 'pairing (searches, walks, their Redis calls)', url: parley('matchmaking/[^/]+|realtime/match-notifier|realtime/handlers/chat/(?:find-match|next-match|cancel-match|search-payload)|store/redis/(?:match-store|matching|match-state|match-replies|redlock-locker)|store/match-pools') },
  { name: 'leaving a chat', url: parley('realtime/handlers/chat/(?:leave-room|block)') },
  { name: 'relay (one-to-one messages)', url: parley('realtime/handlers/chat/send-message|realtime/chat-deliveries') },
  { name: 'typing', url: parley('realtime/handlers/chat/typing|realtime/(?:keyed-)?typing-relay|realtime/handlers/(?:rooms/room-typing|contacts/dm-typing)') },
  { name: 'rooms', url: parley('rooms/[^/]+|realtime/handlers/rooms/[^/]+|realtime/room-[^/]+|store/redis/room-[^/]+|store/postgres/room-[^/]+') },
  { name: 'DMs and contacts', url: parley('contacts/[^/]+|realtime/handlers/contacts/[^/]+|realtime/contact-notifier|store/postgres/contacts[^/]*') },
  { name: 'presence and online-count pushes', url: parley('realtime/online-count|store/redis/presence-store|store/presence-store|http/stats') },
  { name: 'metrics (/metrics, histograms)', url: /node_modules\/prom-client\// },
  { name: 'metrics (/metrics, histograms)', url: parley('metrics') },
  { name: 'connect and disconnect', url: parley('realtime/(?:admission|engine-admission|handshake-release|identity|origin|connection-state)|node/socket-server') },
  { name: 'node upkeep (heartbeats, reaper, archiver)', url: parley('node/(?:upkeep|lifecycle|recovery)|store/redis/node-registry|rooms/archiver') },
  { name: 'event dispatch (schema, budgets)', url: parley('realtime/(?:dispatch|event-budgets|schemas|connection)|realtime/handlers/support/[^/]+') },
  { name: 'other parley code', url: PARLEY },
];

/** What a sample with no parley frame on its stack was doing, by any frame (first rule wins). */
export const MECHANISM_RULES: Rule[] = [
  { name: 'GC', fn: /^\(garbage collector\)$/ },
  { name: '(program: V8 and native, no JS stack)', fn: /^\(program\)$/ },
  // Before the Redis client: the adapter's broadcasts arrive through the ioredis subscriber.
  { name: 'adapter: broadcasts arriving through Redis (decode, fan-out to sockets)', url: /node_modules\/@socket\.io\/redis-adapter\// },
  { name: 'Socket.IO/Engine.IO framing (packets in before dispatch, heartbeats)', url: /node_modules\/(?:socket\.io|socket\.io-parser|socket\.io-adapter|engine\.io|engine\.io-parser|ws|notepack\.io|@socket\.io\/[^/]+)\// },
  { name: 'Redis client (replies, writes of a tick)', url: /node_modules\/(?:ioredis|redis-parser|cluster-key-slot|denque|standard-as-callback)\/|coalesced-writes\.js$/ },
  { name: 'PostgreSQL client', url: /node_modules\/(?:pg|pg-protocol|pg-pool)\// },
  { name: 'HTTP (Express, probes)', url: /node_modules\/(?:express|router|finalhandler|send|serve-static|body-parser)\/|node:_http/ },
  { name: 'timers', fn: /^(?:listOnTimeout|processTimers)$/ },
  { name: 'JSON', fn: /^(?:stringify|parse)$/, url: /^$/ },
  { name: 'network I/O (sockets, writev)', fn: /^(?:writev|writeBuffer|writeUtf8String|writeLatin1String|onStreamRead|afterWriteDispatched)$/ },
  { name: 'network I/O (sockets, writev)', url: /^node:(?:net|stream|internal\/(?:stream_base_commons|streams\/))/ },
  { name: 'promise jobs and ticks', fn: /^(?:runMicrotasks|processTicksAndRejections)$/ },
];

/** The layer of a sample: the code it was in (its self time). */
export const LAYER_RULES: Rule[] = [
  { name: 'GC', fn: /^\(garbage collector\)$/ },
  { name: 'Redis client', url: /node_modules\/(?:ioredis|redis-parser|cluster-key-slot|denque|standard-as-callback)\/|coalesced-writes\.js$/ },
  { name: 'Socket.IO/Engine.IO/ws', url: /node_modules\/(?:socket\.io|socket\.io-parser|socket\.io-adapter|engine\.io|engine\.io-parser|ws|notepack\.io|@socket\.io\/[^/]+|base64id)\// },
  { name: 'JSON', fn: /^(?:stringify|parse)$/, url: /^$/ },
  { name: 'parley', url: PARLEY },
  { name: 'other libraries', url: /node_modules\// },
  { name: 'Node and native', fn: /./ },
];

export const IDLE = '(idle)';
export const UNATTRIBUTED = 'other (no rule matched)';

function matches(rule: Rule, frame: CallFrame): boolean {
  if (rule.url && !rule.url.test(frame.url)) return false;
  if (rule.fn && !rule.fn.test(frame.functionName)) return false;
  return Boolean(rule.url || rule.fn);
}

/** The first rule (in rule order) that any frame of the stack matches. */
export function firstRule(rules: Rule[], stack: CallFrame[]): string | undefined {
  for (const rule of rules) if (stack.some((f) => matches(rule, f))) return rule.name;
  return undefined;
}

/** Activity and layer of one stack, leaf first. */
export function classify(stack: CallFrame[]): { activity: string; layer: string } {
  const leaf = stack[0];
  if (!leaf || leaf.functionName === IDLE) return { activity: IDLE, layer: IDLE };
  const activity = firstRule(ACTIVITY_RULES, stack) ?? firstRule(MECHANISM_RULES, stack) ?? UNATTRIBUTED;
  const layer = firstRule(LAYER_RULES, [leaf]) ?? 'Node and native';
  return { activity, layer };
}

export interface ActivityRow {
  activity: string;
  /** Share of the busy (non-idle) samples' time, 0–1. */
  share: number;
  /** Busy time of this activity in the profile, seconds. */
  seconds: number;
  /** Share of this activity's time by layer, 0–1. */
  layers: Record<string, number>;
}

export interface Attribution {
  /** Profile length, seconds. */
  durationS: number;
  /** Busy (non-idle) sampled time, seconds. */
  busyS: number;
  rows: ActivityRow[];
  /** Share of busy time by layer, 0–1. */
  layers: Record<string, number>;
}

/**
 * Sums each sample's time by activity and layer. A sample lasts until the
 * next one (timeDeltas); the last one lasts the mean interval. Profiles
 * without samples fall back to hit counts at the mean interval.
 */
export function attribute(profile: CpuProfile): Attribution {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const durationUs = profile.endTime - profile.startTime;
  const weights = new Map<number, number>(); // node id -> µs
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length && deltas.length === samples.length) {
    const mean = durationUs / samples.length;
    for (let i = 0; i < samples.length; i++) {
      const next = deltas[i + 1];
      const us = next !== undefined && next >= 0 ? next : mean;
      weights.set(samples[i]!, (weights.get(samples[i]!) ?? 0) + us);
    }
  } else {
    const hits = profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0);
    const mean = hits ? durationUs / hits : 0;
    for (const n of profile.nodes) if (n.hitCount) weights.set(n.id, n.hitCount * mean);
  }
  const stackOf = (id: number): CallFrame[] => {
    const out: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (n && n.callFrame.functionName !== '(root)') out.push(n.callFrame);
    }
    return out;
  };
  const acts = new Map<string, { us: number; layers: Map<string, number> }>();
  const layers = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of weights) {
    const { activity, layer } = classify(stackOf(id));
    if (activity === IDLE) continue;
    busyUs += us;
    const a = acts.get(activity) ?? { us: 0, layers: new Map<string, number>() };
    a.us += us;
    a.layers.set(layer, (a.layers.get(layer) ?? 0) + us);
    acts.set(activity, a);
    layers.set(layer, (layers.get(layer) ?? 0) + us);
  }
  const share = (us: number, of: number): number => (of > 0 ? us / of : 0);
  const rows = [...acts.entries()]
    .map(([activity, a]) => ({
      activity,
      share: share(a.us, busyUs),
      seconds: a.us / 1e6,
      layers: Object.fromEntries([...a.layers].map(([k, v]) => [k, share(v, a.us)])),
    }))
    .sort((x, y) => y.seconds - x.seconds);
  return {
    durationS: durationUs / 1e6,
    busyS: busyUs / 1e6,
    rows,
    layers: Object.fromEntries([...layers].sort((x, y) => y[1] - x[1]).map(([k, v]) => [k, share(v, busyUs)])),
  };
}

/** Adds several nodes' attributions (their samples' time summed). */
export function combine(parts: Attribution[]): Attribution {
  const acts = new Map<string, { s: number; layers: Map<string, number> }>();
  const layers = new Map<string, number>();
  let busyS = 0;
  let durationS = 0;
  for (const p of parts) {
    busyS += p.busyS;
    durationS = Math.max(durationS, p.durationS);
    for (const r of p.rows) {
      const a = acts.get(r.activity) ?? { s: 0, layers: new Map<string, number>() };
      a.s += r.seconds;
      for (const [k, v] of Object.entries(r.layers)) a.layers.set(k, (a.layers.get(k) ?? 0) + v * r.seconds);
      acts.set(r.activity, a);
    }
    for (const [k, v] of Object.entries(p.layers)) layers.set(k, (layers.get(k) ?? 0) + v * p.busyS);
  }
  const share = (s: number, of: number): number => (of > 0 ? s / of : 0);
  return {
    durationS,
    busyS,
    rows: [...acts.entries()]
      .map(([activity, a]) => ({ activity, share: share(a.s, busyS), seconds: a.s, layers: Object.fromEntries([...a.layers].map(([k, v]) => [k, share(v, a.s)])) }))
      .sort((x, y) => y.seconds - x.seconds),
    layers: Object.fromEntries([...layers].sort((x, y) => y[1] - x[1]).map(([k, v]) => [k, share(v, busyS)])),
  };
}

/** What the profile's window held, to turn shares into cost per user per minute. */
export interface WindowMeta {
  /** Users connected to the profiled node(s) together. */
  users: number;
  /** Length of the window, seconds. */
  wallS: number;
  /** CPU seconds the profiled node(s) used in the window (/proc), the figure the shares divide. */
  cpuS: number;
  /** Of which their main threads (/proc/<pid>/task/<pid>), when known. */
  mainCpuS?: number;
  /** Of which in the kernel (all threads' system time), when known: shown, not used in the table. */
  kernelS?: number;
}

/** CPU the node used that its samples do not show, as a row of its own. */
export const OUTSIDE = 'not in the samples (other threads: V8 GC helpers and compiler, libuv pool, the profiler; kernel time between samples)';
/** … split, when the main thread's CPU is known. */
export const OUTSIDE_MAIN = 'main thread, not in the samples (kernel: wake-ups, network stack outside a sampled call)';
export const OUTSIDE_THREADS = 'other threads (V8 GC helpers and compiler, libuv pool, the profiler\'s sampler)';

/** µs of node CPU per user per minute for `seconds` of CPU in the window. */
export function usPerUserMinute(seconds: number, meta: WindowMeta): number {
  if (!(meta.users > 0 && meta.wallS > 0)) return NaN;
  return (seconds * 1e6) / (meta.users * (meta.wallS / 60));
}

export interface TableRow {
  activity: string;
  /** Share of the node's CPU, 0–1. */
  share: number;
  seconds: number;
  layers: Record<string, number>;
}

/**
 * The rows of the table: with the window's CPU seconds from /proc (meta), the
 * shares divide that figure and what the samples did not see is a row of its
 * own; without, they divide the sampled busy time.
 */
export function tableRows(a: Attribution, meta?: WindowMeta): { rows: TableRow[]; totalS: number } {
  const totalS = meta ? Math.max(meta.cpuS, a.busyS) : a.busyS;
  const rows: TableRow[] = a.rows.map((r) => ({ ...r, share: totalS > 0 ? r.seconds / totalS : 0 }));
  const row = (activity: string, seconds: number): TableRow => ({ activity, share: seconds / totalS, seconds, layers: {} });
  if (meta && totalS > a.busyS) {
    const main = meta.mainCpuS;
    if (main !== undefined && main <= totalS) {
      if (main > a.busyS) rows.push(row(OUTSIDE_MAIN, main - a.busyS));
      rows.push(row(OUTSIDE_THREADS, totalS - Math.max(main, a.busyS)));
    } else rows.push(row(OUTSIDE, totalS - a.busyS));
  }
  return { rows: rows.sort((x, y) => y.seconds - x.seconds), totalS };
}

/** The breakdown as a markdown table (share, µs per user-minute, and the layers of each row's sampled time). */
export function attributionTable(a: Attribution, meta?: WindowMeta): string {
  const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;
  const layerNames = Object.keys(a.layers).filter((k) => a.layers[k]! >= 0.01);
  const head = ['activity', 'share of node CPU', 'µs CPU per user-minute', ...layerNames.map((l) => `in ${l}`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const cost = (seconds: number): string => (meta ? String(Math.round(usPerUserMinute(seconds, meta))) : '–');
  const { rows, totalS } = tableRows(a, meta);
  for (const r of rows) lines.push(`| ${[r.activity, pct(r.share), cost(r.seconds), ...layerNames.map((l) => (r.layers[l] ? pct(r.layers[l]!) : '–'))].join(' | ')} |`);
  lines.push(`| ${['**all**', '100 %', cost(totalS), ...layerNames.map((l) => pct(a.layers[l]!))].join(' | ')} |`);
  return lines.join('\n');
}
