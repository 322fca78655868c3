-- Up Migration
-- Saved contacts and their direct messages (docs/contacts.md). A relationship
-- is two rows of `contacts`, one per side, sharing a pair id; each row has its
-- own random contact id, the only id its owner ever sees.
CREATE TABLE contacts (
  contact_id text PRIMARY KEY,
  owner_id text NOT NULL,
  peer_id text NOT NULL,
  pair_id text NOT NULL,
  nickname text NOT NULL,
  -- Epoch milliseconds, as everywhere in parley.
  created_at bigint NOT NULL,
  UNIQUE (owner_id, peer_id)
);
CREATE INDEX contacts_pair ON contacts (pair_id);

CREATE TABLE direct_messages (
  -- The order of a conversation.
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  pair_id text NOT NULL,
  sender_id text NOT NULL,
  recipient_id text NOT NULL,
  text text NOT NULL,
  reply_to text,
  sent_at bigint NOT NULL,
  read_at bigint
);
CREATE INDEX direct_messages_pair ON direct_messages (pair_id, seq);
CREATE INDEX direct_messages_unread ON direct_messages (recipient_id, pair_id) WHERE read_at IS NULL;
-- For the retention purge.
CREATE INDEX direct_messages_sent_at ON direct_messages (sent_at);

-- Per identity: presence choice and coarse last-seen time (minute).
CREATE TABLE contact_settings (
  user_id text PRIMARY KEY,
  appear_offline boolean NOT NULL DEFAULT false,
  last_seen_at bigint
);

-- Identities deleted by their owner: a token of one of them gets a fresh identity.
CREATE TABLE deleted_identities (
  user_id text PRIMARY KEY,
  deleted_at bigint NOT NULL
);

-- Down Migration
DROP TABLE deleted_identities;
DROP TABLE contact_settings;
DROP TABLE direct_messages;
DROP TABLE contacts;
