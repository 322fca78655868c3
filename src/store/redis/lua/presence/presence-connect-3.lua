--[[
  Makes a connection the user's live one.

  KEYS[1]  the user's presence (string "<node>\n<sid>")
  KEYS[2]  away schedule (sorted set, score = end of grace)
  KEYS[3]  the node's set of present users
  ARGV[1]  user id   ARGV[2]  "<node>\n<sid>"

  Returns 1 when the user was absent before (no connection, no grace), 2 when
  it was in its grace, else 0.
]]
local before = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[2])
local wasAway = redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
if not before then return 1 end
if wasAway == 1 then return 2 end
return 0
