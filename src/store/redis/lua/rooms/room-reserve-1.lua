--[[
  Takes one of a user's room places, unless it holds them all.

  KEYS[1]  the user's set of room codes
  ARGV[1]  room code
  ARGV[2]  most rooms a user may be in

  Returns 2 when the user already holds a place for this room, 1 when one was
  taken, 0 when the user is in too many rooms.
]]
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 2 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
