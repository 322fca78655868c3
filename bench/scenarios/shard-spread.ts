/**
 * shard-spread: where parley's commands land on a Redis Cluster of 3 masters
 * (and 3 replicas), 3 nodes with the sharded adapter and PostgreSQL. One
 * kind of traffic at a time — pairing, one-to-one chat messages (relay),
 * topic-room messages and direct messages — and for each, the commands every
 * master ran over the phase (INFO commandstats deltas, calls inside Lua
 * scripts included; test/helpers/cluster-metrics, as the jest test reads
 * them). Message traffic should spread: each master within ±25 % of the mean.
 * Pairing commits under one hash tag (`{mm}`) by design: its master is named.
 * An idle phase shows the background (heartbeats, reaper) the others carry.
 * The room phase ends once PostgreSQL holds every acked message, so the
 * archiver's work is counted with the messages it archives.
 */
import { Pool } from 'pg';
import { commandsByNameDuring, deviations } from '../../test/helpers/cluster-metrics';
import { seedContactRing, type SeededContact } from '../../test/helpers/contact-seed';
import { startPostgres } from '../../testkit/postgres-server';
import { phaseSeconds, startBackend } from '../lib/backend';
import { closeAll, connectWithSession, pool, request, type Client } from '../lib/clients';
import { ROOM_LOAD_ENV, startNodes } from '../lib/cluster';
import type { BenchContext } from '../lib/context';
import { paced, Rejections } from '../lib/paced';
import { sleep } from '../lib/procs';
import { round } from '../lib/stats';
import type { Pair } from '../lib/ledger';
import { pairUp } from './relay';

/** The spread target for message traffic: every master within this fraction of the mean. */
export const SPREAD_LIMIT = 0.25;

export type TrafficKind = 'idle' | 'pairing' | 'relay' | 'room' | 'dm';

export interface SpreadPhase {
  kind: TrafficKind;
  /** Pairs formed or messages acked (seconds, for idle). */
  units: number;
  rejected: number;
  rejectedBy?: Record<string, number>;
  /** Commands per master over the phase, masters by port. */
  commands: number[];
  /** Each master's distance from the mean, signed fraction. */
  deviation: number[];
  maxDeviation: number;
  commandsPerUnit: number;
  /** Commands per unit by command name (EVALSHA, and each command a script ran), all masters together. */
  perUnitByCommand: Record<string, number>;
  /** Share of the phase's commands run by the master that holds `{mm}`. */
  mmShare: number;
}

export interface ShardSpreadResult {
  masters: number[];
  /** Port of the master serving the matchmaking slot (`{mm}`). */
  mmMaster: number;
  nodes: number;
  users: number;
  phases: SpreadPhase[];
}

const CONTACTS = 4;
const PADDING = 'x'.repeat(48);

function sizes(mode: BenchContext['mode']) {
  if (mode === 'smoke') return { users: 30, pairs: 8, rooms: 12, rate: 150 };
  if (mode === 'quick') return { users: 300, pairs: 50, rooms: 96, rate: 200 };
  return { users: 600, pairs: 100, rooms: 192, rate: 300 };
}

/** Waits (up to 20 s) until PostgreSQL holds `count` room messages. */
async function archived(pg: Pool, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { rows } = await pg.query<{ n: string }>('SELECT count(*) AS n FROM room_messages');
    if (Number(rows[0]!.n) >= count) return;
    await sleep(50);
  }
}

export async function shardSpread(ctx: BenchContext): Promise<ShardSpreadResult> {
  const size = sizes(ctx.mode);
  ctx.progress.step('shard-spread: starting a Redis Cluster, PostgreSQL and 3 nodes');
  const backend = await startBackend(ctx, 'cluster');
  const cluster = backend.cluster!;
  const postgres = await startPostgres({ database: 'parley_bench' });
  const stopPostgres = () => postgres.stop();
  ctx.group.defer(stopPostgres);
  const pg = new Pool({ connectionString: postgres.url, max: 4 });
  const env = { ...ROOM_LOAD_ENV, ...backend.env, DATABASE_URL: postgres.url, DM_RATE_LIMIT: '1000000', CONTACTS_MAX: String(CONTACTS + 1), ROOMS_PER_USER: '1000' };
  const options = { env, cpuProfDir: ctx.cpuProfDir, readyTimeoutMs: 60_000 };
  // The first node migrates the fresh database alone.
  const nodes = await startNodes(ctx.group, backend.target, 1, options);
  nodes.push(...(await startNodes(ctx.group, backend.target, 2, { ...options, firstId: 2 })));
  const urls = nodes.map((n) => n.url);
  const clients: Client[] = [];
  try {
    const masters = (await cluster.masters()).sort((a, b) => a - b);
    const mmMaster = await cluster.masterOf(`${backend.env.REDIS_PREFIX}:{mm}:waiting`);
    const phases: SpreadPhase[] = [];
    const phase = async (kind: TrafficKind, run: () => Promise<{ units: number; rejections?: Rejections }>): Promise<void> => {
      let outcome = { units: 0 } as { units: number; rejections?: Rejections };
      const { perServer: commands, byName } = await commandsByNameDuring(masters, async () => {
        outcome = await run();
      });
      const perUnitByCommand = Object.fromEntries(
        Object.entries(byName)
          .sort(([, a], [, b]) => b - a)
          .map(([name, n]) => [name, outcome.units ? round(n / outcome.units, 2) : 0]),
      );
      const deviation = deviations(commands).map((d) => round(d, 3));
      const sum = commands.reduce((x, y) => x + y, 0);
      phases.push({
        kind,
        units: outcome.units,
        rejected: outcome.rejections?.count ?? 0,
        ...(outcome.rejections?.count ? { rejectedBy: outcome.rejections.by } : {}),
        commands,
        deviation,
        maxDeviation: Math.max(...deviation.map(Math.abs)),
        commandsPerUnit: outcome.units ? round(sum / outcome.units, 2) : 0,
        perUnitByCommand,
        mmShare: sum ? round(commands[masters.indexOf(mmMaster)]! / sum, 3) : 0,
      });
    };

    ctx.progress.step(`shard-spread: connecting ${size.users} users, seeding ${CONTACTS} contacts each`);
    const sessions = await pool(size.users, 50, (i) => connectWithSession(urls[i % urls.length]!), (d) => ctx.progress.update(`${d}/${size.users}`));
    clients.push(...sessions.map((s) => s.client));
    const contacts = await seedContactRing(pg, sessions.map((s) => s.session.userId), CONTACTS);
    await sleep(500);

    ctx.progress.step('shard-spread: idle, 1 s');
    await phase('idle', async () => (await sleep(1000), { units: 1 }));

    ctx.progress.step(`shard-spread: pairing, ${size.pairs} pairs across nodes`);
    let pairs: Pair[] = [];
    await phase('pairing', async () => {
      pairs = [];
      for (let k = 0; k < 3; k++) {
        const n = Math.round(size.pairs / 3) + (k === 0 ? size.pairs - 3 * Math.round(size.pairs / 3) : 0);
        pairs.push(...(await pairUp(ctx, urls[k]!, urls[(k + 1) % 3]!, n, `spread${k}`)));
      }
      return { units: pairs.length };
    });
    clients.push(...pairs.flatMap((p) => [p.a, p.b]));

    const messages = Math.round(size.rate * phaseSeconds(ctx));
    const send = async (label: string, one: (n: number) => Promise<{ ok: boolean }>): Promise<{ units: number; rejections: Rejections }> => {
      ctx.progress.step(`shard-spread: ${label}, ${messages} at ${size.rate}/s`);
      const rejections = new Rejections();
      let acked = 0;
      const { settled } = await paced(ctx, size.rate, messages, (n) => rejections.track(one(n), () => (acked++, true)));
      await settled;
      await sleep(200);
      return { units: acked, rejections };
    };

    await phase('relay', () =>
      send('one-to-one chat messages', (n) => {
        const p = pairs[n % pairs.length]!;
        return request(Math.floor(n / pairs.length) % 2 ? p.b : p.a, 'send-message', { text: `s${n} ${PADDING}` });
      }),
    );

    ctx.progress.step(`shard-spread: ${size.rooms} private rooms, a member on another node each`);
    const rooms: { code: string; members: Client[] }[] = [];
    await pool(size.rooms, 10, async (r) => {
      const owner = sessions[r % sessions.length]!.client;
      const other = sessions[(r + 1) % sessions.length]!.client;
      const created = await request<{ ok: boolean; room?: { code: string } }>(owner, 'room-create', { title: `spread ${r}`, visibility: 'private' });
      if (!created.ok || !created.room) throw new Error(`room-create refused: ${JSON.stringify(created)}`);
      const joined = await request(other, 'room-join', { code: created.room.code });
      if (!joined.ok) throw new Error(`room-join refused: ${JSON.stringify(joined)}`);
      rooms[r] = { code: created.room.code, members: [owner, other] };
    });
    await phase('room', async () => {
      const sent = await send('topic-room messages', (n) => {
        const room = rooms[n % rooms.length]!;
        return request(room.members[Math.floor(n / rooms.length) % 2]!, 'room-message', { code: room.code, text: `r${n} ${PADDING}` });
      });
      // The archiver's work belongs to the messages: the phase ends once every acked one is in PostgreSQL.
      await archived(pg, sent.units);
      return sent;
    });

    await phase('dm', () =>
      send('direct messages', (n) => {
        const from = n % sessions.length;
        const contact: SeededContact = contacts[from]![Math.floor(n / sessions.length) % contacts[from]!.length]!;
        return request(sessions[from]!.client, 'dm-send', { contactId: contact.contactId, text: `d${n} ${PADDING}` });
      }),
    );
    return { masters, mmMaster, nodes: nodes.length, users: size.users, phases };
  } finally {
    closeAll(clients);
    await pg.end();
    await Promise.all(nodes.map((n) => ctx.group.stop(n.proc)));
    await backend.stop();
    await ctx.group.runDeferred(stopPostgres);
  }
}
