-- Up Migration
-- Pins and reactions of topic rooms, written by the room archiver from the
-- room log like messages (idempotent: an event written twice changes
-- nothing). PostgreSQL is their record: what the Redis window loses, history
-- pages read from here.
CREATE TABLE room_pins (
  room_code text NOT NULL,
  seq bigint NOT NULL,
  -- When the pin ends by itself (epoch ms); null: until unpinned.
  until bigint,
  pinned_at bigint NOT NULL,
  -- Room name of the member who pinned it.
  pinned_by text NOT NULL,
  -- The message's sender name and text when it was pinned.
  name text NOT NULL,
  text text NOT NULL,
  PRIMARY KEY (room_code, seq)
);

-- One row per member per emoji per message; `n` orders a message's emoji by
-- their first use.
CREATE TABLE room_reactions (
  room_code text NOT NULL,
  seq bigint NOT NULL,
  emoji text NOT NULL,
  user_id text NOT NULL,
  n bigserial NOT NULL,
  PRIMARY KEY (room_code, seq, emoji, user_id)
);

-- Down Migration
DROP TABLE room_reactions;
DROP TABLE room_pins;
