#!/usr/bin/env node
/**
 * `npm run chaos -- --seconds N [--clients C] [--seed S]`: the chaos run of
 * test/chaos/chaos.test.ts, longer and with more clients. It runs through
 * jest (which compiles the TypeScript), alone, and exits with jest's status.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? args[i + 1] : undefined;
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    console.error(`--${name} takes a positive whole number`);
    process.exit(2);
  }
  return value;
};

const env = {
  ...process.env,
  CHAOS_SECONDS: option('seconds', '30'),
  CHAOS_CLIENTS: option('clients', '500'),
  CHAOS_SEED: option('seed', String(Date.now() % 1_000_000)),
};
console.log(`chaos: ${env.CHAOS_CLIENTS} clients for ${env.CHAOS_SECONDS} s, seed ${env.CHAOS_SEED}`);
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(
  process.execPath,
  [jest, '--runInBand', '--verbose=false', '--testPathPatterns', 'test/chaos/chaos\\.test\\.ts$'],
  { cwd: path.resolve(__dirname, '..'), env, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
