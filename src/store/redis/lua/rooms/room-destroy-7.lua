--[[
  Deletes a room (an operator's removal): its facts, members, names, kicks,
  seq and recent window, in one step. The room's changes still in its shard's
  log stay there, followed by the removal itself, so the archiver writes them
  and then removes the room from the archive, in that order.

  KEYS[1]  room hash     KEYS[2]  members hash
  KEYS[3]  names hash    KEYS[4]  kicked hash
  KEYS[5]  seq counter   KEYS[6]  messages (sorted set)
  KEYS[7]  the shard's log (stream)
  ARGV[1]  room code     ARGV[2]  '1' to log the removal

  Returns 0 when there is no such room, else {every member...} (JSON).
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local members = redis.call('HVALS', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
if ARGV[2] == '1' then redis.call('XADD', KEYS[7], '*', 'k', 'gone', 'c', ARGV[1]) end
return members
