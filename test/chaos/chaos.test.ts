/**
 * Hundreds of clients on three nodes sharing one Redis find, cancel, skip,
 * leave, block, chat, drop and come back for a few seconds; afterwards every
 * matchmaking and relay invariant holds. `npm run chaos -- --seconds N` runs
 * the same longer and with more clients (CHAOS_SECONDS, CHAOS_CLIENTS).
 */
import { formatReport, runChaos } from './run';

const seconds = Number(process.env.CHAOS_SECONDS ?? 8);
const clients = Number(process.env.CHAOS_CLIENTS ?? 200);
const seed = Number(process.env.CHAOS_SEED ?? 1);

test(`${clients} clients for ${seconds} s on three nodes: every invariant holds`, async () => {
  const report = await runChaos({ seconds, clients, seed });
  console.log(formatReport(report));
  expect(report.crashes).toEqual([]);
  for (const [rule, list] of report.violations) expect({ rule, violations: list.slice(0, 10) }).toEqual({ rule, violations: [] });
  expect(Number(report.stats.pairs)).toBeGreaterThan(clients / 2);
  expect(Number(report.stats['messages accepted'])).toBeGreaterThan(0);
}, (seconds + 60) * 1000);
