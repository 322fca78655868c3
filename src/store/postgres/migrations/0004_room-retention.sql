-- Up Migration
-- Room messages are kept ROOM_HISTORY_DAYS: every node deletes older ones
-- (by sent_at) once a minute. Text of deleted messages is wiped.
CREATE INDEX room_messages_sent_at ON room_messages (sent_at);
UPDATE room_messages SET text = '', name = '' WHERE deleted;

-- Down Migration
DROP INDEX room_messages_sent_at;
