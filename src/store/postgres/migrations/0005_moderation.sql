-- Up Migration
-- Reports with the evidence the server gathered, suspensions, bans and the
-- operators' audit log. Evidence is kept REPORT_RETENTION_DAYS; addresses
-- only as keyed hashes.
CREATE TABLE reports (
  id text PRIMARY KEY,
  reporter_id text NOT NULL,
  target_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('chat', 'room', 'dm')),
  context jsonb NOT NULL,
  reason text NOT NULL,
  note text,
  evidence jsonb NOT NULL,
  target_ip_hash text,
  created_at bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  resolution jsonb
);
-- One open report per reporter and reported identity.
CREATE UNIQUE INDEX reports_open_once ON reports (reporter_id, target_id) WHERE status = 'open';
CREATE INDEX reports_target ON reports (target_id, created_at);
CREATE INDEX reports_status ON reports (status, created_at);

CREATE TABLE suspensions (
  user_id text PRIMARY KEY,
  since bigint NOT NULL
);

CREATE TABLE bans (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('identity', 'ip')),
  subject text NOT NULL,
  until bigint,
  reason text NOT NULL,
  report_id text,
  created_at bigint NOT NULL,
  lifted_at bigint
);
CREATE INDEX bans_subject ON bans (subject);
CREATE INDEX bans_in_force ON bans (until) WHERE lifted_at IS NULL;

CREATE TABLE audit_log (
  n bigserial PRIMARY KEY,
  at bigint NOT NULL,
  action text NOT NULL,
  detail jsonb NOT NULL,
  actor text NOT NULL
);

-- Down Migration
DROP TABLE audit_log;
DROP TABLE bans;
DROP TABLE suspensions;
DROP TABLE reports;
