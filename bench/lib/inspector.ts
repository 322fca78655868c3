/**
 * Reads a server process's heap from outside through the V8 inspector (the
 * process runs with --inspect on a loopback port): forces a full GC, then
 * reads process.memoryUsage(). Used to split an RSS delta into live heap,
 * external memory and the rest.
 */
import WebSocket from 'ws';
import { httpGet } from './cluster';

export interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export async function gcAndMemory(inspectPort: number): Promise<MemoryUsage> {
  const list = JSON.parse((await httpGet(`http://127.0.0.1:${inspectPort}/json/list`)).body) as { webSocketDebuggerUrl: string }[];
  const target = list[0]?.webSocketDebuggerUrl;
  if (!target) throw new Error('no inspector target');
  const ws = new WebSocket(target);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const call = (method: string, params: object = {}): Promise<Record<string, unknown>> =>
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
    });
  try {
    await call('HeapProfiler.enable');
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const r = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const value = (r.result as { value: string }).value;
    return JSON.parse(value) as MemoryUsage;
  } finally {
    ws.close();
  }
}
