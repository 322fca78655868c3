--[[
  Replaces a message by a tombstone (seqs stay gapless; readers skip it).

  KEYS[1]  messages (sorted set, score = seq)
  ARGV[1]  seq

  Returns 1 when deleted, 0 when there is no such message (or it is gone already).
]]
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then return 0 end
local message = cjson.decode(found[1])
if message.deleted then return 0 end
redis.call('ZREM', KEYS[1], found[1])
redis.call('ZADD', KEYS[1], ARGV[1], cjson.encode({ deleted = true, id = message.id }))
return 1
