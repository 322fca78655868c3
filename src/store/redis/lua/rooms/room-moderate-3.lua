--[[
  Gives or takes a user's co-host role, or mutes it, in the room's hash
  (`role:<uid>`, `mute:<uid>`: they outlive leaving, and a join reads them)
  and in its member record when it is in; logged for the archiver in the same
  step.

  KEYS[1]  room hash   KEYS[2]  members hash   KEYS[3]  log (stream)
  ARGV[1]  'role' or 'mute'   ARGV[2]  user id
  ARGV[3]  role: 'cohost' or 'member'; mute: until (epoch ms, '0' lifts it)
  ARGV[4]  room code   ARGV[5]  '1' to log the change

  Returns 0 when there is no such room, else {every member...} (JSON).
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local mode, uid, value = ARGV[1], ARGV[2], ARGV[3]
local field = mode .. ':' .. uid
local clear = (mode == 'role' and value == 'member') or (mode == 'mute' and value == '0')
if clear then redis.call('HDEL', KEYS[1], field) else redis.call('HSET', KEYS[1], field, value) end
local raw = redis.call('HGET', KEYS[2], uid)
if raw then
  local member = cjson.decode(raw)
  if mode == 'role' then
    if member.host ~= true then member.role = (not clear) and value or nil end
  else
    member.mu = (not clear) and value or nil
  end
  redis.call('HSET', KEYS[2], uid, cjson.encode(member))
end
if ARGV[5] == '1' then
  if mode == 'role' then
    redis.call('XADD', KEYS[3], '*', 'k', 'role', 'c', ARGV[4], 'u', uid, 'r', value)
  else
    redis.call('XADD', KEYS[3], '*', 'k', 'mute', 'c', ARGV[4], 'u', uid, 't', value)
  end
end
return redis.call('HVALS', KEYS[2])
