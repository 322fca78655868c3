-- Up Migration
-- A room's co-hosts, mutes and settings, and the kind of each message
-- ("host" and "system" besides a member's): the record that outlives a Redis
-- loss, written by the room archiver from the room's log like its messages.
-- A co-host role and a mute are by identity and outlive leaving the room.
CREATE TABLE room_roles (
  room_code text NOT NULL,
  user_id text NOT NULL,
  role text NOT NULL CHECK (role IN ('cohost')),
  PRIMARY KEY (room_code, user_id)
);

CREATE TABLE room_mutes (
  room_code text NOT NULL,
  user_id text NOT NULL,
  -- Epoch milliseconds, as everywhere in parley.
  until bigint NOT NULL,
  PRIMARY KEY (room_code, user_id)
);

CREATE TABLE room_settings (
  room_code text PRIMARY KEY,
  slow_mode_s integer NOT NULL DEFAULT 0 CHECK (slow_mode_s >= 0),
  description text,
  rules text
);

ALTER TABLE room_messages ADD COLUMN kind text NOT NULL DEFAULT 'member' CHECK (kind IN ('member', 'host', 'system'));

-- Down Migration
ALTER TABLE room_messages DROP COLUMN kind;
DROP TABLE room_settings;
DROP TABLE room_mutes;
DROP TABLE room_roles;
