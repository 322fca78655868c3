/**
 * Writes topic-room history straight into PostgreSQL and Redis, for histories
 * far too long to send through clients: N public rooms of M messages each (public: a private room's history answers only its members),
 * as if every message had been sent, archived, and the oldest ones had left
 * the recent window.
 *
 * The layout mirrors what the product writes: the `rooms` and `room_messages`
 * rows of src/store/postgres/room-archive.ts (0002_rooms.sql), and per room
 * in Redis the hash of room-create-2.lua, the seq counter and the window of
 * the last `window` messages as room-append-7.lua stores them, every key from
 * the one key builder (src/store/keys.ts). test/bench/room-seed.test.ts reads
 * a seeded room back through the real stores, so a change of the layout shows
 * up there rather than as a silently wrong benchmark.
 */
import type { StoredRoomMessage } from '../../src/store/rooms-store';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { createRoomKeys } from '../../src/store/redis/keys';

export interface RoomSeedOptions {
  rooms: number;
  messagesPerRoom: number;
  /** Messages each room keeps in Redis (the product's recent window: 500). */
  window: number;
  /** sentAt of each room's newest message (epoch ms); one message per second before it. */
  now: number;
  /** Rooms per INSERT statement (default 20). */
  roomsPerStatement?: number;
  onProgress?: (roomsDone: number) => void;
}

export type SeededMessage = Pick<StoredRoomMessage, 'seq' | 'id' | 'from' | 'name' | 'text' | 'sentAt'>;

/** Room codes in the server's format (21 characters of [A-Za-z0-9_-]). */
export function seedRoomCodes(count: number): string[] {
  return Array.from({ length: count }, () => `hist${randomBytes(12).toString('base64url').slice(0, 17)}`);
}

const SENDERS = 20;

/** The message a seeded room holds at `seq`; the SQL below writes the same. */
export function seededMessage(code: string, seq: number, options: Pick<RoomSeedOptions, 'messagesPerRoom' | 'now'>): SeededMessage {
  const sender = seq % SENDERS;
  return {
    seq,
    id: `${code}-${seq}`,
    from: `seed-user-${sender}`,
    name: `Member ${sender}`,
    text: `history message ${seq} ${'x'.repeat(40)}`,
    sentAt: options.now - (options.messagesPerRoom - seq) * 1000,
  };
}

const INSERT_ROOMS = `INSERT INTO rooms (code, title, topic, visibility, host_id, created_at)
  SELECT code, 'history ' || code, NULL, 'public', NULL, $2::bigint FROM unnest($1::text[]) AS r(code)`;

const INSERT_MESSAGES = `INSERT INTO room_messages (room_code, seq, id, sender_id, name, text, sent_at, reply_to)
  SELECT r.code, s.seq, r.code || '-' || s.seq, 'seed-user-' || (s.seq % ${SENDERS}), 'Member ' || (s.seq % ${SENDERS}),
    'history message ' || s.seq || ' ' || repeat('x', 40), $3::bigint - ($2::bigint - s.seq) * 1000, NULL
  FROM unnest($1::text[]) AS r(code), generate_series(1, $2::bigint) AS s(seq)`;

/** Seeds `codes` (see seedRoomCodes) into PostgreSQL and Redis. */
export async function seedRoomHistory(pg: Pool, redis: Redis, prefix: string, codes: readonly string[], options: RoomSeedOptions): Promise<void> {
  const keys = createRoomKeys(prefix);
  const perStatement = options.roomsPerStatement ?? 20;
  const createdAt = options.now - options.messagesPerRoom * 1000;
  await pg.query(INSERT_ROOMS, [codes, createdAt]);
  for (let i = 0; i < codes.length; i += perStatement) {
    const chunk = codes.slice(i, i + perStatement);
    const redisDone = seedWindows(redis, keys, chunk, options, createdAt);
    await pg.query(INSERT_MESSAGES, [chunk, options.messagesPerRoom, options.now]);
    await redisDone;
    options.onProgress?.(Math.min(codes.length, i + perStatement));
  }
  await pg.query('ANALYZE room_messages');
}

async function seedWindows(redis: Redis, keys: ReturnType<typeof createRoomKeys>, codes: readonly string[], options: RoomSeedOptions, createdAt: number): Promise<void> {
  const p = redis.pipeline();
  const first = Math.max(1, options.messagesPerRoom - options.window + 1);
  for (const code of codes) {
    p.hset(keys.room(code), { code, title: `history ${code}`, topic: '', visibility: 'public', createdAt: String(createdAt), hostId: '', joins: '0', trimAt: '0', keepUntil: '0' });
    p.set(keys.seq(code), String(options.messagesPerRoom));
    const members: (string | number)[] = [];
    for (let seq = first; seq <= options.messagesPerRoom; seq++) {
      const m = seededMessage(code, seq, options);
      // As room-append-7.lua encodes it: sentAt is the script argument, a string; `e` the room's epoch.
      members.push(seq, JSON.stringify({ id: m.id, from: m.from, name: m.name, text: m.text, sentAt: String(m.sentAt), e: String(createdAt) }));
    }
    if (members.length) p.zadd(keys.messages(code), ...members);
  }
  const results = (await p.exec()) ?? [];
  const failed = results.find(([err]) => err);
  if (failed) throw failed[0];
}
