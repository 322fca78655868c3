--[[
  Forgets log entries the archiver has written and gives up its lease.

  KEYS[1]  log (stream)   KEYS[2]  lease
  ARGV[1]  archiver (node id)   ARGV[2..]  entry ids

  Returns the number of entries still in the log.
]]
if #ARGV > 1 then redis.call('XDEL', KEYS[1], unpack(ARGV, 2)) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return redis.call('XLEN', KEYS[1])
