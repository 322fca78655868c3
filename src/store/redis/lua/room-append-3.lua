--[[
  Stores a member's message under the room's next seq: one order for every
  member on every node. The recent window keeps the last `cap` messages.

  KEYS[1]  members hash   KEYS[2]  seq counter   KEYS[3]  messages (sorted set, score = seq)
  ARGV[1]  user id   ARGV[2]  message id   ARGV[3]  text   ARGV[4]  sentAt
  ARGV[5]  replyTo seq ('' for none)       ARGV[6]  cap

  Returns false when the user is not a member, else {seq, message JSON}.
]]
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return false end
local seq = redis.call('INCR', KEYS[2])
local message = { id = ARGV[2], from = ARGV[1], name = cjson.decode(raw).name, text = ARGV[3], sentAt = ARGV[4] }
if ARGV[5] ~= '' then message.replyTo = ARGV[5] end
local encoded = cjson.encode(message)
redis.call('ZADD', KEYS[3], seq, encoded)
local extra = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[6])
if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[3], 0, extra - 1) end
return {seq, encoded}
