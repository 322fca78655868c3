/**
 * Reads a server process's heap from outside through the V8 inspector (the
 * process runs with --inspect on a loopback port): forces a full GC, then
 * reads process.memoryUsage() (to split an RSS delta into live heap,
 * external memory and the rest), or takes a heap snapshot and counts its
 * objects by kind (to see what a connection is made of).
 */
import WebSocket from 'ws';
import { httpGet } from '../../testkit/http';

export interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface Inspector {
  call(method: string, params?: object): Promise<Record<string, unknown>>;
  /** Collects the params of every notification of this method. */
  collect(method: string): unknown[];
  close(): void;
}

async function openInspector(inspectPort: number): Promise<Inspector> {
  const list = JSON.parse((await httpGet(`http://127.0.0.1:${inspectPort}/json/list`, undefined, 2000)).body) as { webSocketDebuggerUrl: string }[];
  const target = list[0]?.webSocketDebuggerUrl;
  if (!target) throw new Error('no inspector target');
  const ws = new WebSocket(target, { maxPayload: 1 << 30 });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const collected = new Map<string, unknown[]>();
  ws.on('message', (data: WebSocket.RawData) => {
    const msg = JSON.parse(data.toString()) as { method?: string; params?: unknown };
    if (msg.method) collected.get(msg.method)?.push(msg.params);
  });
  return {
    call: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const mine = ++id;
        const onMessage = (data: WebSocket.RawData): void => {
          const msg = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown>; error?: unknown };
          if (msg.id !== mine) return;
          ws.off('message', onMessage);
          if (msg.error) reject(new Error(JSON.stringify(msg.error)));
          else resolve(msg.result ?? {});
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id: mine, method, params }));
      }),
    collect: (method) => {
      const list: unknown[] = [];
      collected.set(method, list);
      return list;
    },
    close: () => ws.close(),
  };
}

/**
 * Starts V8's CPU profiler in the process (sampling every `intervalUs`); the
 * returned function stops it and gives the profile (.cpuprofile JSON).
 */
export async function startCpuProfile(inspectPort: number, intervalUs = 1000): Promise<() => Promise<unknown>> {
  const inspector = await openInspector(inspectPort);
  try {
    await inspector.call('Profiler.enable');
    await inspector.call('Profiler.setSamplingInterval', { interval: intervalUs });
    await inspector.call('Profiler.start');
  } catch (err) {
    inspector.close();
    throw err;
  }
  return async () => {
    try {
      return (await inspector.call('Profiler.stop')).profile;
    } finally {
      inspector.close();
    }
  };
}

export async function gcAndMemory(inspectPort: number): Promise<MemoryUsage> {
  const inspector = await openInspector(inspectPort);
  try {
    await inspector.call('HeapProfiler.enable');
    await inspector.call('HeapProfiler.collectGarbage');
    await inspector.call('HeapProfiler.collectGarbage');
    const r = await inspector.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const value = (r.result as { value: string }).value;
    return JSON.parse(value) as MemoryUsage;
  } finally {
    inspector.close();
  }
}

/** Live heap (after a full GC) by kind of object: "<type>:<constructor>", strings and code lumped. */
export type HeapCensus = Map<string, { count: number; bytes: number }>;

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Takes a heap snapshot and counts its objects by kind. */
export async function heapCensus(inspectPort: number): Promise<HeapCensus> {
  const inspector = await openInspector(inspectPort);
  let snapshot: HeapSnapshot;
  try {
    const chunks = inspector.collect('HeapProfiler.addHeapSnapshotChunk') as { chunk: string }[];
    await inspector.call('HeapProfiler.enable');
    await inspector.call('HeapProfiler.collectGarbage');
    await inspector.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    snapshot = JSON.parse(chunks.map((c) => c.chunk).join('')) as HeapSnapshot;
  } finally {
    inspector.close();
  }
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const census: HeapCensus = new Map();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + iType]!]!;
    const name = /string/.test(type) ? '(strings)' : type === 'code' ? '(compiled code)' : snapshot.strings[snapshot.nodes[i + iName]!]!.slice(0, 40);
    const key = /string/.test(type) || type === 'code' ? name : `${type}:${name}`;
    const entry = census.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snapshot.nodes[i + iSize]!;
    census.set(key, entry);
  }
  return census;
}

/** What each of `n` added connections costs, by kind, largest first. */
export function censusPerUnit(after: HeapCensus, before: HeapCensus, n: number): { kind: string; objects: number; bytes: number }[] {
  const out: { kind: string; objects: number; bytes: number }[] = [];
  for (const [kind, a] of after) {
    const b = before.get(kind) ?? { count: 0, bytes: 0 };
    out.push({ kind, objects: Math.round(((a.count - b.count) / n) * 100) / 100, bytes: Math.round((a.bytes - b.bytes) / n) });
  }
  return out.sort((x, y) => y.bytes - x.bytes);
}
