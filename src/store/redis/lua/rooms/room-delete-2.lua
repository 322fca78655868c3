--[[
  Replaces a message by a tombstone (seqs stay gapless; readers skip it), and
  logs and announces the deletion in the same step.

  KEYS[1]  messages (sorted set, score = seq)   KEYS[2]  log (stream)
  ARGV[1]  seq   ARGV[2]  room code   ARGV[3]  '1' to log   ARGV[4]  feed channel ('' for none)
  ARGV[5]  '1' to announce with SPUBLISH (sharded pub/sub, Redis Cluster), else PUBLISH
  ARGV[6]  only a message of this user id ('' for any: the host, an operator)
  ARGV[7]  with ARGV[6]: only a message sent at or after this (epoch ms)

  Returns 1 when deleted, 0 when there is no such message (or it is gone
  already), -1 when ARGV[6] is set and the message is another user's or older.
]]
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then return 0 end
local message = cjson.decode(found[1])
if message.deleted then return 0 end
if ARGV[6] ~= '' and (message.from ~= ARGV[6] or tonumber(message.sentAt) < tonumber(ARGV[7])) then return -1 end
redis.call('ZREM', KEYS[1], found[1])
redis.call('ZADD', KEYS[1], ARGV[1], cjson.encode({ deleted = true, id = message.id, sentAt = message.sentAt }))
if ARGV[3] == '1' then redis.call('XADD', KEYS[2], '*', 'k', 'delete', 'c', ARGV[2], 's', ARGV[1]) end
if ARGV[4] ~= '' then redis.call(ARGV[5] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[4], 'd' .. ARGV[1]) end
return 1
