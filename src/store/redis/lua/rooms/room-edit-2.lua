--[[
  Replaces the text of a member's own recent message under the same seq, and
  logs (for the archiver) and announces (on the room's feed) the edit in the
  same step, so every node hands it over after the message it edits.

  KEYS[1]  messages (sorted set, score = seq)   KEYS[2]  log (stream)
  ARGV[1]  seq   ARGV[2]  editor's user id   ARGV[3]  only a message sent at or after this (epoch ms)
  ARGV[4]  new text   ARGV[5]  editedAt (epoch ms)
  ARGV[6]  JSON array of the names the new text mentions ('' for none)
  ARGV[7]  room code   ARGV[8]  '1' to log   ARGV[9]  feed channel ('' for none)
  ARGV[10] '1' to announce with SPUBLISH (sharded pub/sub, Redis Cluster), else PUBLISH

  Returns the edited message JSON; 0 when there is no such live message in
  the window, -1 when it is another member's or older than ARGV[3].
]]
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then return 0 end
local message = cjson.decode(found[1])
if message.deleted then return 0 end
if message.from ~= ARGV[2] or tonumber(message.sentAt) < tonumber(ARGV[3]) then return -1 end
message.text = ARGV[4]
message.ed = ARGV[5]
message.mn = nil
if ARGV[6] ~= '' then message.mn = cjson.decode(ARGV[6]) end
local encoded = cjson.encode(message)
redis.call('ZREM', KEYS[1], found[1])
redis.call('ZADD', KEYS[1], ARGV[1], encoded)
if ARGV[8] == '1' then
  redis.call('XADD', KEYS[2], '*', 'k', 'edit', 'c', ARGV[7], 's', ARGV[1], 't', ARGV[4], 'a', ARGV[5], 'mn', ARGV[6])
end
if ARGV[9] ~= '' then
  local change = { text = ARGV[4], ed = ARGV[5] }
  if ARGV[6] ~= '' then change.mn = message.mn end
  redis.call(ARGV[10] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[9], 'e' .. ARGV[1] .. '\n' .. cjson.encode(change))
end
return encoded
