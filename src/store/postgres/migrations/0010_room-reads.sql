-- Up Migration
-- A member's read position in a room, per identity: every device of the
-- identity reads the same one. Only ever moves forward (see room-reads.ts).
CREATE TABLE room_reads (
  user_id text NOT NULL,
  room_code text NOT NULL,
  read_seq bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (user_id, room_code)
);

-- A message its sender edited keeps its seq; edited_at marks it. The names
-- its text mentions (resolved by the server when stored or edited), as a
-- JSON array, or null for none.
ALTER TABLE room_messages ADD COLUMN edited_at bigint;
ALTER TABLE room_messages ADD COLUMN mentions jsonb;

-- Down Migration
ALTER TABLE room_messages DROP COLUMN mentions;
ALTER TABLE room_messages DROP COLUMN edited_at;
DROP TABLE room_reads;
