--[[
  Creates a room unless its code is taken, and logs it in the same step.

  KEYS[1]  the room's hash   KEYS[2]  log (stream)
  ARGV[1..6]  code, title, topic ('' for none), visibility, createdAt, hostId ('' for none)
  ARGV[7]  '1' to log the room   ARGV[8]  the room record as JSON (for the log)
  ARGV[9]  empty-room ms: a room a user created expires this long after its
           creation unless someone joins it (its creator's join clears it)

  Returns 1 when created, 0 when the code is taken.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'code', ARGV[1], 'title', ARGV[2], 'topic', ARGV[3], 'visibility', ARGV[4],
  'createdAt', ARGV[5], 'hostId', ARGV[6], 'joins', 0)
if ARGV[6] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[9]) end
if ARGV[7] == '1' then redis.call('XADD', KEYS[2], '*', 'k', 'room', 'r', ARGV[8]) end
return 1
