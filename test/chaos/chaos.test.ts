/**
 * Hundreds of clients on three nodes sharing one Redis find, cancel, skip,
 * leave, block, chat, drop and come back for a few seconds; afterwards every
 * matchmaking and relay invariant holds. `npm run chaos -- --seconds N` runs
 * the same longer and with more clients (CHAOS_SECONDS, CHAOS_CLIENTS).
 *
 * The seed varies from run to run (CHAOS_SEED fixes it); it is printed, and a
 * failure names it with the command that replays the run.
 */
import { formatReport, runChaos } from './run';

const seconds = Number(process.env.CHAOS_SECONDS ?? 8);
const clients = Number(process.env.CHAOS_CLIENTS ?? 200);
const seed = Number(process.env.CHAOS_SEED || Date.now() % 1_000_000);
const replay = `npm run chaos -- --seconds ${seconds} --clients ${clients} --seed ${seed}`;

test(`${clients} clients for ${seconds} s on three nodes (seed ${seed}): every invariant holds`, async () => {
  console.log(`chaos seed ${seed}; replay: ${replay}`);
  const report = await runChaos({ seconds, clients, seed });
  console.log(formatReport(report));
  const problems = [
    ...report.crashes.map((err) => `crash: ${String(err)}`),
    ...[...report.violations].flatMap(([rule, list]) => list.slice(0, 10).map((v) => `${rule}: ${v}`)),
    // The run did pair people (a floor, not a pace: a busy machine answers slowly and so pairs fewer).
    ...(Number(report.stats.pairs) > clients / 4 ? [] : [`only ${report.stats.pairs} pairs formed`]),
    ...(Number(report.stats['messages accepted']) > 0 ? [] : ['no message accepted']),
  ];
  if (problems.length > 0 && report.traces.length > 0) console.log(report.traces.join('\n\n'));
  if (problems.length > 0) throw new Error(`chaos run with seed ${seed} failed (replay: ${replay})\n${problems.join('\n')}`);
}, (seconds + 60) * 1000);
