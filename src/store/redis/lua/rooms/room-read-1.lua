--[[
  Moves a user's read position in a room forward (never back), and keeps the
  user's positions for the retention after its last read.

  KEYS[1]  the user's read positions (hash: room code → read seq)
  ARGV[1]  room code   ARGV[2]  seq   ARGV[3]  how long the positions are kept, ms

  Returns {read seq now, 1 when it moved else 0}.
]]
local now = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local seq = tonumber(ARGV[2])
if seq <= now then return {now, 0} end
redis.call('HSET', KEYS[1], ARGV[1], seq)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {seq, 1}
