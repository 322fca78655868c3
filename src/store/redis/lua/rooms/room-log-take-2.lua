--[[
  Hands the oldest entries of a room's log to one archiver: the lease keeps
  other nodes off the room while it writes them; a dead archiver's lease
  runs out and the entries are taken again (writes are idempotent). A free
  lease (the usual case: done gives it up) costs one SET.

  KEYS[1]  log (stream)   KEYS[2]  lease
  ARGV[1]  archiver (node id)   ARGV[2]  lease ms   ARGV[3]  most entries

  Returns false when another archiver holds the room, else the entries
  ({id, fields} as XRANGE gives them; empty when the log is empty).
]]
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if redis.call('GET', KEYS[2]) ~= ARGV[1] then return false end
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[3])
