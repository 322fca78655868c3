-- Up Migration
-- A room's backstage: the private room beside it (one per room), reachable
-- by the room's host, its co-hosts and the members the host invited.
CREATE TABLE room_backstages (
  parent_code text PRIMARY KEY,
  code text NOT NULL UNIQUE,
  opened_at bigint NOT NULL
);

CREATE TABLE room_backstage_invites (
  parent_code text NOT NULL,
  user_id text NOT NULL,
  invited_at bigint NOT NULL,
  PRIMARY KEY (parent_code, user_id)
);

-- Down Migration
DROP TABLE room_backstage_invites;
DROP TABLE room_backstages;
