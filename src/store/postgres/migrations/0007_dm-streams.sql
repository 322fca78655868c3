-- Up Migration
-- Each conversation is a stream: its messages carry a gapless number within
-- the pair (stream_seq: 1, 2, 3, …) given in the same statement that stores
-- the message, and the stream an epoch (random) a client compares with its
-- own. A send may carry the client's id of it: a retry with the same id, by
-- the same sender in the same conversation, stores nothing (the unique index).
CREATE TABLE dm_streams (
  pair_id text PRIMARY KEY,
  last_seq bigint NOT NULL,
  epoch text NOT NULL
);

ALTER TABLE direct_messages ADD COLUMN stream_seq bigint;
ALTER TABLE direct_messages ADD COLUMN client_id text;

UPDATE direct_messages d SET stream_seq = n.rn
  FROM (SELECT seq, row_number() OVER (PARTITION BY pair_id ORDER BY seq) AS rn FROM direct_messages) n
  WHERE d.seq = n.seq;
INSERT INTO dm_streams (pair_id, last_seq, epoch)
  SELECT pair_id, max(stream_seq), md5(pair_id || clock_timestamp()::text) FROM direct_messages GROUP BY pair_id;

ALTER TABLE direct_messages ALTER COLUMN stream_seq SET NOT NULL;
CREATE UNIQUE INDEX direct_messages_stream ON direct_messages (pair_id, stream_seq);
CREATE UNIQUE INDEX direct_messages_client_id ON direct_messages (pair_id, sender_id, client_id) WHERE client_id IS NOT NULL;

-- Down Migration
DROP INDEX direct_messages_client_id;
DROP INDEX direct_messages_stream;
ALTER TABLE direct_messages DROP COLUMN client_id;
ALTER TABLE direct_messages DROP COLUMN stream_seq;
DROP TABLE dm_streams;
