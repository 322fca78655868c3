/** Reads V8 .cpuprofile files: where a node process spent its CPU. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileRow {
  name: string;
  selfPct: number;
}

export interface ProfileSummary {
  file: string;
  durationS: number;
  /** Self time by package / source area. */
  byArea: ProfileRow[];
  /** Self time by function. */
  byFunction: ProfileRow[];
}

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `parley ${dist[1]!.split('/').slice(0, -1).join('/') || dist[1]}`;
  return path.basename(url);
}

function shortUrl(url: string): string {
  const nm = /node_modules\/(.+)$/.exec(url);
  if (nm) return nm[1]!;
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `dist/${dist[1]}`;
  return url.replace(/^node:/, 'node:');
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  let totalHits = 0;
  const byArea = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    totalHits += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const a = area(url, functionName || '(anonymous)');
    byArea.set(a, (byArea.get(a) ?? 0) + hits);
    const key = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName;
    byFn.set(key, (byFn.get(key) ?? 0) + hits);
  }
  const rows = (m: Map<string, number>): ProfileRow[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, selfPct: Math.round((hits / totalHits) * 1000) / 10 }));
  return {
    file: path.basename(file),
    durationS: Math.round((profile.endTime - profile.startTime) / 1e5) / 10,
    byArea: rows(byArea),
    byFunction: rows(byFn),
  };
}

export function summarizeDir(dir: string): ProfileSummary[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files.sort().map((f) => summarizeProfile(path.join(dir, f)));
}
