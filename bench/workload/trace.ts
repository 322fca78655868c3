/**
 * With WORKLOAD_TRACE=<dir>, each load process writes what its chat users saw
 * (one line per event: epoch ms, user, event, detail, whether on the current
 * connection) to <dir>/<pid>.log — to follow a violation the ledger reports.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.WORKLOAD_TRACE;
const file = dir ? path.join(dir, `${process.pid}.log`) : undefined;
let buffer: string[] = [];

if (file) setInterval(() => {
  if (buffer.length) appendFileSync(file, buffer.join(''));
  buffer = [];
}, 500).unref();

export function trace(user: string, event: string, detail: string, current: boolean): void {
  if (file) buffer.push(`${Date.now()} ${user} ${event} ${detail}${current ? '' : ' (old connection)'}\n`);
}
