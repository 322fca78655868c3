--[[
  Forgets log entries the archiver has written and gives up its lease.

  KEYS[1]  log (stream)   KEYS[2]  lease
  ARGV[1]  archiver (node id)
  ARGV[2]  '1' to count the entries left; '0' when the archiver took all the
           log held (a later entry raised the room's mark after it was read)
  ARGV[3..]  entry ids

  Returns the number of entries still in the log, or -1 when not counted.
]]
if #ARGV > 2 then redis.call('XDEL', KEYS[1], unpack(ARGV, 3)) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
if ARGV[2] == '1' then return redis.call('XLEN', KEYS[1]) end
return -1
