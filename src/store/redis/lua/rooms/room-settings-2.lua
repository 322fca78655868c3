--[[
  Changes a room's settings (fields of the room's hash; '' is "none" for the
  texts) and logs the result for the archiver in the same step.

  KEYS[1]  room hash   KEYS[2]  log (stream)
  ARGV[1]  slow mode seconds, or '' to keep it
  ARGV[2]  '1' to set the description to ARGV[3]
  ARGV[4]  '1' to set the rules to ARGV[5]
  ARGV[6]  room code   ARGV[7]  '1' to log the change

  Returns 0 when there is no such room, else {slowModeS, description, rules}.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'slowModeS', ARGV[1]) end
if ARGV[2] == '1' then redis.call('HSET', KEYS[1], 'description', ARGV[3]) end
if ARGV[4] == '1' then redis.call('HSET', KEYS[1], 'rules', ARGV[5]) end
local now = redis.call('HMGET', KEYS[1], 'slowModeS', 'description', 'rules')
local settings = { tonumber(now[1] or '0'), now[2] or '', now[3] or '' }
if ARGV[7] == '1' then
  redis.call('XADD', KEYS[2], '*', 'k', 'settings', 'c', ARGV[6],
    'j', cjson.encode({ slowModeS = settings[1], description = settings[2], rules = settings[3] }))
end
return settings
