--[[
  Drops an entry of the away schedule if it is still due (a newer grace may
  have rescheduled it since it was read).

  KEYS[1]  away schedule (sorted set, score = deadline)
  ARGV[1]  entry   ARGV[2]  now

  Returns 1 when dropped.
]]
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
