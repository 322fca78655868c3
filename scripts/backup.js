#!/usr/bin/env node
/**
 * `npm run backup [-- --dir DIR] [--keep-days N]`: dumps the database the
 * nodes use (DATABASE_URL) with `pg_dump --format=custom` into
 * DIR/parley-<UTC time>.dump (DIR defaults to ./backups), beside it the
 * dump's SHA-256 in DIR/parley-<UTC time>.dump.sha256 (`sha256sum -c` reads
 * it), and then deletes the dumps in DIR older than N days (default 7; 0
 * keeps every dump). The whole database: every table, with the migrations
 * table, so a restore needs nothing else.
 *
 * The dump is written under a `.partial` name and renamed once pg_dump
 * finished and pg_restore read its table of contents back, so a dump with
 * the final name is always complete. Runs while the nodes serve: pg_dump
 * reads one consistent snapshot.
 */
const { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { DUMP_NAME, Refusal, checksumLine, databaseUrl, describe, runMain, runPg, sha256 } = require('./postgres-tools');

const DAY_MS = 86_400_000;

function options() {
  let values;
  try {
    ({ values } = parseArgs({ options: { dir: { type: 'string' }, 'keep-days': { type: 'string' } } }));
  } catch (err) {
    throw new Refusal(`${err.message}\nusage: npm run backup [-- --dir DIR] [--keep-days N]`, 2);
  }
  const keep = values['keep-days'] ?? '7';
  if (!/^\d+$/.test(keep)) throw new Refusal('--keep-days takes a whole number of days (0 keeps every dump)', 2);
  return { dir: path.resolve(values.dir ?? 'backups'), keepDays: Number(keep) };
}

/** `20261205T004812Z` for a time. */
const stamp = (date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** The time a dump's name holds. */
function takenAt(name) {
  const [, s] = DUMP_NAME.exec(name);
  return Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15));
}

/** Deletes the dumps (and their checksums) taken more than keepDays before now; returns their names. */
function prune(dir, keepDays, now) {
  if (keepDays === 0) return [];
  const old = readdirSync(dir).filter((name) => DUMP_NAME.test(name) && now - takenAt(name) > keepDays * DAY_MS);
  for (const name of old) {
    rmSync(path.join(dir, name), { force: true });
    rmSync(path.join(dir, `${name}.sha256`), { force: true });
  }
  return old;
}

async function main() {
  const { dir, keepDays } = options();
  const url = databaseUrl();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = new Date();
  const name = `parley-${stamp(now)}.dump`;
  const file = path.join(dir, name);
  const partial = `${file}.partial`;
  if (existsSync(file)) throw new Refusal(`${file} exists already: one dump a second at most`);
  try {
    await runPg('pg_dump', ['--format=custom', '--no-password', `--file=${partial}`], url);
    // The archive reads back: its table of contents lists the migrations table.
    const contents = await runPg('pg_restore', ['--list', partial]);
    if (!/TABLE DATA \S+ parley_migrations /.test(contents)) {
      throw new Refusal(`the dump of ${describe(url)} holds no parley_migrations table: is DATABASE_URL parley's database?`);
    }
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  renameSync(partial, file);
  writeFileSync(`${file}.sha256`, checksumLine(await sha256(file), name), { mode: 0o600 });
  const pruned = prune(dir, keepDays, now.getTime());
  process.stdout.write(`backed up ${describe(url)} to ${file}\n`);
  if (pruned.length > 0) process.stdout.write(`deleted ${pruned.length} dump(s) older than ${keepDays} days: ${pruned.join(', ')}\n`);
}

runMain(main);
