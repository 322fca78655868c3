-- Up Migration
-- The schema's baseline: facts about this database that parley itself keeps
-- (when it was first migrated, and later whatever a migration wants to note).
CREATE TABLE parley_meta (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO parley_meta (key, value) VALUES ('created_at', now()::text);

-- Down Migration
DROP TABLE parley_meta;
