--[[
  A connection closed: if it is the user's live one, the user stays present
  until the end of its grace (an earlier deadline already set is kept).

  KEYS[1]  the user's presence   KEYS[2]  away schedule
  ARGV[1]  user id   ARGV[2]  "<node>\n<sid>"   ARGV[3]  end of grace (epoch ms)

  Returns 1 when scheduled, 0 when a newer connection took over.
]]
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[2], 'NX', ARGV[3], ARGV[1])
return 1
