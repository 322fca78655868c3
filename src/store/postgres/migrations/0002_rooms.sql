-- Up Migration
-- Topic rooms and their messages, written by the room archiver from the
-- Redis stream (or the single node's queue). Inserts are idempotent on
-- (room_code, seq): an event written twice changes nothing.
CREATE TABLE rooms (
  code text PRIMARY KEY,
  title text NOT NULL,
  topic text,
  visibility text NOT NULL CHECK (visibility IN ('public', 'private')),
  host_id text,
  created_at bigint NOT NULL
);

CREATE TABLE room_messages (
  room_code text NOT NULL,
  seq bigint NOT NULL,
  id text NOT NULL,
  sender_id text NOT NULL,
  name text NOT NULL,
  text text NOT NULL,
  -- Epoch milliseconds, as everywhere in parley.
  sent_at bigint NOT NULL,
  reply_to bigint,
  deleted boolean NOT NULL DEFAULT false,
  PRIMARY KEY (room_code, seq)
);

-- Down Migration
DROP TABLE room_messages;
DROP TABLE rooms;
