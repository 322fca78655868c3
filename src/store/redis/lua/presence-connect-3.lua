--[[
  Makes a connection the user's live one.

  KEYS[1]  the user's presence (string "<node>\n<sid>")
  KEYS[2]  away schedule (sorted set, score = end of grace)
  KEYS[3]  the node's set of present users
  ARGV[1]  user id   ARGV[2]  "<node>\n<sid>"

  Returns 1 when the user was absent before (no connection, no grace), else 0.
]]
local before = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
if before then return 0 end
return 1
