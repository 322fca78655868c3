--[[
  Deletes a room (an operator's removal): its facts, members, names, kicks,
  seq, recent window and the log of changes not yet archived, in one step.

  KEYS[1]  room hash     KEYS[2]  members hash
  KEYS[3]  names hash    KEYS[4]  kicked hash
  KEYS[5]  seq counter   KEYS[6]  messages (sorted set)
  KEYS[7]  log (stream)

  Returns 0 when there is no such room, else {every member...} (JSON).
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local members = redis.call('HVALS', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
return members
