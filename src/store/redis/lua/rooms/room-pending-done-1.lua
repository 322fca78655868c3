--[[
  Drops a room from its pending set unless a change was marked since the
  archiver read the mark (the mark is a counter: any new change raises it).

  KEYS[1]  pending rooms (sorted set: code → changes marked)
  ARGV[1]  room code   ARGV[2]  the mark as the archiver read it

  Returns 1 when dropped, 0 when a newer change keeps it pending.
]]
local mark = redis.call('ZSCORE', KEYS[1], ARGV[1])
if mark and tonumber(mark) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
