/**
 * The SQL of the room archive: every statement named (prepared once per
 * connection) and parameterised, never built from input.
 */
const QUERIES = {
  insertRoom: `INSERT INTO rooms (code, title, topic, visibility, host_id, created_at)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
  insertMessages: `INSERT INTO room_messages (room_code, seq, id, sender_id, name, text, sent_at, reply_to, kind, edited_at, mentions)
    SELECT c, s, i, f, n, t, a, r, k, e, m::jsonb
    FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[], $10::bigint[], $11::text[])
      AS u(c, s, i, f, n, t, a, r, k, e, m)
    ON CONFLICT (room_code, seq) DO NOTHING`,
  // An edit written twice, or after a later one, changes nothing.
  editMessage: `UPDATE room_messages SET text = $3, edited_at = $4, mentions = $5::jsonb
    WHERE room_code = $1 AND seq = $2 AND NOT deleted AND (edited_at IS NULL OR edited_at <= $4)`,
  // A deleted message keeps its row (seqs stay gapless) but not its words, mentions, reactions or pin.
  deleteMessage: `UPDATE room_messages SET deleted = true, text = '', name = '', mentions = NULL WHERE room_code = $1 AND seq = $2`,
  deleteReactions: `DELETE FROM room_reactions WHERE room_code = $1 AND seq = $2`,
  pin: `INSERT INTO room_pins (room_code, seq, until, pinned_at, pinned_by, name, text) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (room_code, seq) DO UPDATE SET until = $3, pinned_at = $4, pinned_by = $5, name = $6, text = $7`,
  unpin: `DELETE FROM room_pins WHERE room_code = $1 AND seq = $2`,
  react: `INSERT INTO room_reactions (room_code, seq, emoji, user_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
  unreact: `DELETE FROM room_reactions WHERE room_code = $1 AND seq = $2 AND emoji = $3 AND user_id = $4`,
  reactions: `SELECT seq, emoji, user_id FROM room_reactions WHERE room_code = $1 AND seq = ANY($2::bigint[]) ORDER BY n`,
  savedRoom: `SELECT code, title, topic, visibility, host_id, created_at,
    (SELECT coalesce(max(seq), 0) FROM room_messages WHERE room_code = $1) AS last_seq,
    (SELECT coalesce(max(sent_at), 0) FROM room_messages WHERE room_code = $1) AS last_sent FROM rooms WHERE code = $1`,
  pins: `SELECT seq, until, pinned_at, pinned_by, name, text FROM room_pins
    WHERE room_code = $1 AND (until IS NULL OR until > $2) ORDER BY pinned_at, seq`,
  // Reactions and pins of messages retention removed, and pins that ended before the cutoff.
  purgeReactions: `DELETE FROM room_reactions WHERE ctid IN (SELECT r.ctid FROM room_reactions r
    WHERE NOT EXISTS (SELECT 1 FROM room_messages m WHERE m.room_code = r.room_code AND m.seq = r.seq) LIMIT $1)`,
  purgePins: `DELETE FROM room_pins p WHERE until <= $1
    OR NOT EXISTS (SELECT 1 FROM room_messages m WHERE m.room_code = p.room_code AND m.seq = p.seq)`,
  // Retention, in bounded batches so no statement holds many locks for long.
  purgeMessages: `DELETE FROM room_messages WHERE ctid IN (SELECT ctid FROM room_messages WHERE sent_at < $1 LIMIT $2)`,
  purgeRooms: `DELETE FROM rooms r WHERE created_at < $1
    AND NOT EXISTS (SELECT 1 FROM room_messages m WHERE m.room_code = r.code)`,
  // Mutes that ended before the retention cutoff are of no use to anyone.
  purgeMutes: `DELETE FROM room_mutes WHERE until < $1`,
  // Read positions in rooms that are gone, not moved since the cutoff (a room's row may still be on its way).
  purgeReads: `DELETE FROM room_reads x WHERE x.updated_at < $1
    AND NOT EXISTS (SELECT 1 FROM rooms r WHERE r.code = x.room_code)`,
  // An operator removed the room: its messages and row go at once.
  removeMessages: `DELETE FROM room_messages WHERE room_code = $1`,
  removeReactions: `DELETE FROM room_reactions WHERE room_code = $1`,
  removePins: `DELETE FROM room_pins WHERE room_code = $1`,
  removeRoom: `DELETE FROM rooms WHERE code = $1`,
  removeRoles: `DELETE FROM room_roles WHERE room_code = $1`,
  removeMutes: `DELETE FROM room_mutes WHERE room_code = $1`,
  removeSettings: `DELETE FROM room_settings WHERE room_code = $1`,
  removeReads: `DELETE FROM room_reads WHERE room_code = $1`,
  setRole: `INSERT INTO room_roles (room_code, user_id, role) VALUES ($1, $2, $3)
    ON CONFLICT (room_code, user_id) DO UPDATE SET role = EXCLUDED.role`,
  clearRole: `DELETE FROM room_roles WHERE room_code = $1 AND user_id = $2`,
  setMute: `INSERT INTO room_mutes (room_code, user_id, until) VALUES ($1, $2, $3)
    ON CONFLICT (room_code, user_id) DO UPDATE SET until = EXCLUDED.until`,
  clearMute: `DELETE FROM room_mutes WHERE room_code = $1 AND user_id = $2`,
  setSettings: `INSERT INTO room_settings (room_code, slow_mode_s, description, rules) VALUES ($1, $2, $3, $4)
    ON CONFLICT (room_code) DO UPDATE SET slow_mode_s = EXCLUDED.slow_mode_s, description = EXCLUDED.description, rules = EXCLUDED.rules`,
  roles: `SELECT user_id, role FROM room_roles WHERE room_code = $1`,
  mutes: `SELECT user_id, until FROM room_mutes WHERE room_code = $1 AND until > $2`,
  settings: `SELECT slow_mode_s, description, rules FROM room_settings WHERE room_code = $1`,
  historyPage: `SELECT seq, id, sender_id, name, text, sent_at, reply_to, kind, edited_at, mentions FROM room_messages
    WHERE room_code = $1 AND seq < $2 AND sent_at >= $3 AND NOT deleted
    ORDER BY seq DESC LIMIT $4`,
} as const;

export type Name = keyof typeof QUERIES;
export const named = (name: Name, values: unknown[]) => ({ name: `parley-${name}`, text: QUERIES[name], values });

/** What removing a room deletes, in order (an operator's removal, and the archiver reaching it in the log). */
export const REMOVE_QUERIES = ['removeMessages', 'removeReactions', 'removePins', 'removeRoles', 'removeMutes', 'removeSettings', 'removeReads', 'removeRoom'] as const;
