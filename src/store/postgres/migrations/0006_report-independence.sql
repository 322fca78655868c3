-- Up Migration
-- Independent reporters: the reporter's address hash with each report, and
-- each identity's standing (first seen, messages sent up to a cap, the hash of
-- its latest address) so that throwaway identities from one address cannot
-- suspend anyone. An identity ban keeps the banned identity's last address
-- hash, so new identities from it can be refused for a while.
ALTER TABLE reports ADD COLUMN reporter_ip_hash text;
ALTER TABLE bans ADD COLUMN address_hash text;

CREATE TABLE identity_standings (
  user_id text PRIMARY KEY,
  first_seen bigint NOT NULL,
  messages integer NOT NULL DEFAULT 0,
  last_ip_hash text,
  updated_at bigint NOT NULL
);
CREATE INDEX identity_standings_updated ON identity_standings (updated_at);

-- Down Migration
DROP TABLE identity_standings;
ALTER TABLE bans DROP COLUMN address_hash;
ALTER TABLE reports DROP COLUMN reporter_ip_hash;
