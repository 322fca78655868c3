/**
 * The archiver's sink: room events written to PostgreSQL in order, a run of
 * consecutive messages as one statement.
 */
import type { Pool, PoolClient } from 'pg';
import type { RoomEvent } from '../room-outbox';
import { named, REMOVE_QUERIES } from './room-archive-sql';
import { inTransaction } from './transaction';

type MessageEvent = Extract<RoomEvent, { kind: 'message' }>;

const mentionsJson = (mentions: readonly string[] | undefined): string | null => (mentions?.length ? JSON.stringify(mentions) : null);

/** The columns of a run of messages, as arrays PostgreSQL unnests; null for an empty run. */
function messageColumns(run: readonly MessageEvent[]): unknown[][] | null {
  if (run.length === 0) return null;
  const columns: unknown[][] = [[], [], [], [], [], [], [], [], [], [], []];
  for (const { code, message: m } of run) {
    const row = [code, m.seq, m.id, m.from, m.name, m.text, m.sentAt, m.replyTo ?? null, m.kind ?? 'member', m.editedAt ?? null, mentionsJson(m.mentions)];
    row.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}

/** One statement for a run of messages. */
async function insertMessages(client: PoolClient, run: readonly MessageEvent[]): Promise<void> {
  const columns = messageColumns(run);
  if (columns) await client.query(named('insertMessages', columns));
}

/** Applies one event that is not a message. */
async function applyOne(client: PoolClient, event: Exclude<RoomEvent, MessageEvent>): Promise<void> {
  switch (event.kind) {
    case 'room': {
      const r = event.room;
      await client.query(named('insertRoom', [r.code, r.title, r.topic, r.visibility, r.hostId, r.createdAt]));
      return;
    }
    case 'edit':
      await client.query(named('editMessage', [event.code, event.seq, event.text, event.editedAt, mentionsJson(event.mentions)]));
      return;
    case 'delete':
      await client.query(named('deleteMessage', [event.code, event.seq]));
      await client.query(named('deleteReactions', [event.code, event.seq]));
      await client.query(named('unpin', [event.code, event.seq]));
      return;
    case 'pin': {
      const p = event.pin;
      await client.query(named('pin', [event.code, p.seq, p.until, p.pinnedAt, p.by, p.name, p.text]));
      return;
    }
    case 'unpin':
      await client.query(named('unpin', [event.code, event.seq]));
      return;
    case 'react':
      await client.query(named(event.on ? 'react' : 'unreact', [event.code, event.seq, event.emoji, event.userId]));
      return;
    case 'role':
      await client.query(
        event.role === 'member' ? named('clearRole', [event.code, event.userId]) : named('setRole', [event.code, event.userId, event.role]),
      );
      return;
    case 'mute':
      await client.query(event.until > 0 ? named('setMute', [event.code, event.userId, event.until]) : named('clearMute', [event.code, event.userId]));
      return;
    case 'settings': {
      const s = event.settings;
      await client.query(named('setSettings', [event.code, s.slowModeS, s.description, s.rules]));
      return;
    }
    case 'gone':
      for (const query of REMOVE_QUERIES) await client.query(named(query, [event.code]));
      return;
  }
}

/** Applies events in order; consecutive messages go in one statement. */
async function apply(client: PoolClient, events: readonly RoomEvent[]): Promise<void> {
  let run: MessageEvent[] = [];
  for (const event of events) {
    if (event.kind === 'message') {
      run.push(event);
      continue;
    }
    await insertMessages(client, run);
    run = [];
    await applyOne(client, event);
  }
  await insertMessages(client, run);
}

/** Writes a batch of events in order, in one transaction (a batch of messages only: one INSERT, atomic on its own). */
export async function writeEvents(pool: Pool, events: readonly RoomEvent[]): Promise<void> {
  // A batch of messages only is one INSERT: atomic on its own, one round trip.
  if (events.every((e) => e.kind === 'message')) {
    const columns = messageColumns(events as MessageEvent[]);
    if (columns) await pool.query(named('insertMessages', columns));
    return;
  }
  await inTransaction(pool, (client) => apply(client, events));
}
