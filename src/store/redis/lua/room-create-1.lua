--[[
  Creates a room unless its code is taken.

  KEYS[1]  the room's hash
  ARGV[1..6]  code, title, topic ('' for none), visibility, createdAt, hostId ('' for none)

  Returns 1 when created, 0 when the code is taken.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'code', ARGV[1], 'title', ARGV[2], 'topic', ARGV[3], 'visibility', ARGV[4],
  'createdAt', ARGV[5], 'hostId', ARGV[6], 'joins', 0)
return 1
