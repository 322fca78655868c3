/**
 * What `npm run backup` and `npm run restore` share: the database the nodes
 * use (DATABASE_URL, as src/config.ts reads it), PostgreSQL's own client
 * programs run with that URL, dump names and their checksums.
 *
 * The password never appears on a command line (where `ps` shows it): it is
 * taken out of the URL and handed to pg_dump / pg_restore as PGPASSWORD.
 */
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');

/** A dump's file name: `parley-<UTC time, seconds>.dump`, so names sort by age. */
const DUMP_NAME = /^parley-(\d{8}T\d{6}Z)\.dump$/;

/** Stops the script with a message and exit code 1 (2 for a usage error). */
class Refusal extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** DATABASE_URL from the environment, checked as the nodes check it. */
function databaseUrl() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Refusal('DATABASE_URL is not set: set it to the database the nodes use (postgres://…)');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Refusal('DATABASE_URL must start with postgres:// or postgresql://');
  return url;
}

/** The URL without its password, and an environment that carries the password instead. */
function connection(url) {
  const parsed = new URL(url);
  const env = { ...process.env };
  if (parsed.password) {
    env.PGPASSWORD = decodeURIComponent(parsed.password);
    parsed.password = '';
  }
  return { dbname: parsed.toString(), env };
}

/** The URL as it may be printed: host, port and database, never the password. */
function describe(url) {
  const parsed = new URL(url);
  return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
}

/**
 * Runs one of PostgreSQL's client programs (from PATH, or PG_BIN_DIR), against
 * `url` when given; resolves with its stdout, rejects with its stderr.
 */
function runPg(program, args, url) {
  const { dbname, env } = url ? connection(url) : { dbname: undefined, env: process.env };
  const file = process.env.PG_BIN_DIR ? `${process.env.PG_BIN_DIR}/${program}` : program;
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args, ...(dbname ? [`--dbname=${dbname}`] : [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', (error) =>
      reject(new Refusal(`${program} could not run (${error.message}): install PostgreSQL's client programs (apt-get install postgresql-client)`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Refusal(`${program} failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
  });
}

/** The SHA-256 of a file, as lower-case hex. */
function sha256(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** A checksum file's line, in the format `sha256sum -c` reads. */
const checksumLine = (hex, name) => `${hex}  ${name}\n`;

/** Runs a script's main: a Refusal prints `parley: <message>` and exits with its code. */
function runMain(main) {
  main().catch((err) => {
    process.stderr.write(`parley: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof Refusal ? err.exitCode : 1);
  });
}

module.exports = { DUMP_NAME, Refusal, checksumLine, databaseUrl, describe, runMain, runPg, sha256 };
