#!/usr/bin/env node
/**
 * `npm run restore -- FILE [--clean] [--no-checksum] [--deletions-from URL]`:
 * restores a dump of `npm run backup` into the database DATABASE_URL names,
 * with pg_restore in one transaction (a failure leaves the database as it was).
 *
 * - The dump's SHA-256 must match FILE.sha256 (`--no-checksum` restores a
 *   dump without one).
 * - The target must be empty: no table, view or sequence outside PostgreSQL's
 *   own schemas. A database holding anything is refused unless `--clean`,
 *   which first drops the `public` schema with everything in it (parley's
 *   tables live there) and creates it again.
 * - Objects keep no owner or grants from the source (`--no-owner
 *   --no-privileges`): they belong to the user DATABASE_URL logs in as, the
 *   user the nodes then use.
 * - `--deletions-from URL`: the database being replaced, if it can still be
 *   read. The identities deleted there (deleted_identities) are deleted again
 *   in the restored database, as `delete-identity` deletes them, so a dump
 *   taken before a deletion brings none of it back. They are read before the
 *   target is touched (it may be the same database, with --clean). Needs the
 *   build (`npm run build`: dist/store/postgres/identity-deletion.js).
 */
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { Client, Pool } = require('pg');
const { Refusal, databaseUrl, describe, runMain, runPg, sha256 } = require('./postgres-tools');

const USAGE = 'usage: npm run restore -- FILE [--clean] [--no-checksum] [--deletions-from URL]';
const IDENTITY_DELETION = path.join(__dirname, '..', 'dist', 'store', 'postgres', 'identity-deletion.js');

/** Relations (tables, views, sequences, …) outside PostgreSQL's own schemas, by schema. */
const USER_RELATIONS = `
  SELECT n.nspname AS schema, count(*)::int AS relations
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
    AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  GROUP BY n.nspname ORDER BY n.nspname`;

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { clean: { type: 'boolean' }, 'no-checksum': { type: 'boolean' }, 'deletions-from': { type: 'string' } },
    });
  } catch (err) {
    throw new Refusal(`${err.message}\n${USAGE}`, 2);
  }
  if (parsed.positionals.length !== 1) throw new Refusal(`name one dump to restore\n${USAGE}`, 2);
  const deletionsFrom = parsed.values['deletions-from'];
  if (deletionsFrom !== undefined && !/^postgres(ql)?:\/\//.test(deletionsFrom)) {
    throw new Refusal('--deletions-from takes the URL of the database being replaced (postgres://…)', 2);
  }
  return {
    file: path.resolve(parsed.positionals[0]),
    clean: parsed.values.clean === true,
    checksum: parsed.values['no-checksum'] !== true,
    deletionsFrom,
  };
}

/** Refuses a dump whose checksum file is missing (unless told) or does not match. */
async function verify(file, checksum) {
  if (!existsSync(file)) throw new Refusal(`${file}: no such file`);
  const sumFile = `${file}.sha256`;
  if (!existsSync(sumFile)) {
    if (!checksum) return;
    throw new Refusal(`${sumFile} is missing, so the dump cannot be checked; restore it anyway with --no-checksum`);
  }
  const expected = readFileSync(sumFile, 'utf8').trim().split(/\s+/)[0];
  const actual = await sha256(file);
  if (expected !== actual) throw new Refusal(`${file} does not match ${sumFile} (sha256 ${actual}, expected ${expected}): the dump is damaged`);
}

const summary = (rows) => rows.map((r) => `${r.schema} (${r.relations})`).join(', ');

/** Makes sure the target is empty: refuses a database holding anything, or with --clean empties `public` first. */
async function emptyTarget(url, clean) {
  const client = new Client({ connectionString: url, application_name: 'parley:restore' });
  await client.connect().catch((err) => {
    throw new Refusal(`PostgreSQL at ${describe(url)} did not answer: ${err.message || err.code}`);
  });
  try {
    const { rows } = await client.query(USER_RELATIONS);
    if (rows.length === 0) return;
    if (!clean) {
      throw new Refusal(
        `${describe(url)} is not empty (relations in ${summary(rows)}): restore into an empty database, or pass --clean to drop the public schema and everything in it first`,
      );
    }
    await client.query('BEGIN');
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
    await client.query('COMMIT');
    const left = (await client.query(USER_RELATIONS)).rows;
    if (left.length > 0) throw new Refusal(`${describe(url)} still holds relations outside the public schema (${summary(left)}); --clean drops only public`);
    process.stdout.write(`dropped the public schema of ${describe(url)} (--clean)\n`);
  } finally {
    await client.end();
  }
}

/** What the restored database holds, in a line: the latest migration and a few tables' rows. */
async function describeRestored(url) {
  const client = new Client({ connectionString: url, application_name: 'parley:restore' });
  await client.connect();
  try {
    const tables = (await client.query(USER_RELATIONS)).rows.reduce((sum, r) => sum + r.relations, 0);
    const { rows } = await client.query(`SELECT
      (SELECT name FROM parley_migrations ORDER BY id DESC LIMIT 1) AS migration,
      (SELECT count(*) FROM rooms)::int AS rooms, (SELECT count(*) FROM room_messages)::int AS room_messages,
      (SELECT count(*) FROM contacts)::int AS contacts, (SELECT count(*) FROM direct_messages)::int AS direct_messages,
      (SELECT count(*) FROM reports)::int AS reports, (SELECT count(*) FROM bans)::int AS bans`);
    const [facts] = rows;
    const counts = Object.entries(facts)
      .filter(([key]) => key !== 'migration')
      .map(([key, n]) => `${key} ${n}`)
      .join(', ');
    return `${tables} relations, latest migration ${facts.migration}; ${counts}`;
  } finally {
    await client.end();
  }
}

/** Runs `work` with a small pool on `url`, closing it after. */
async function withPool(url, work) {
  const pool = new Pool({ connectionString: url, max: 1, application_name: 'parley:restore' });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

/** The build's identity deletion (src/store/postgres/identity-deletion.ts). */
function identityDeletion() {
  if (!existsSync(IDENTITY_DELETION)) throw new Refusal(`${IDENTITY_DELETION} is missing: run npm run build first (--deletions-from needs it)`);
  return require(IDENTITY_DELETION);
}

async function main() {
  const { file, clean, checksum, deletionsFrom } = options();
  const url = databaseUrl();
  await verify(file, checksum);
  // A file pg_restore cannot read is refused before the target is touched.
  await runPg('pg_restore', ['--list', file]);
  const deletion = deletionsFrom ? identityDeletion() : undefined;
  const deletions = deletion
    ? await withPool(deletionsFrom, (pool) => deletion.recordedDeletions(pool)).catch((err) => {
        throw new Refusal(`could not read the deletions of ${describe(deletionsFrom)}: ${err.message || err.code}`);
      })
    : [];
  await emptyTarget(url, clean);
  await runPg('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--no-password', file], url);
  process.stdout.write(`restored ${path.basename(file)} into ${describe(url)}: ${await describeRestored(url)}\n`);
  if (deletion) {
    const applied = await withPool(url, (pool) => deletion.reapplyDeletions(pool, deletions));
    process.stdout.write(`deleted again ${applied} identit${applied === 1 ? 'y' : 'ies'} deleted after the dump (of ${deletions.length} deletions in ${describe(deletionsFrom)})\n`);
  }
}

runMain(main);
