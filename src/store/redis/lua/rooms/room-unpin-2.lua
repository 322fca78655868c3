--[[
  Unpins a message, and logs and announces the pins left in the same step.

  KEYS[1]  pins (hash: seq → pin JSON)   KEYS[2]  log (stream)
  ARGV[1]  seq   ARGV[2]  room code   ARGV[3]  '1' to log   ARGV[4]  feed channel ('' for none)
  ARGV[5]  '1' to announce with SPUBLISH, else PUBLISH

  Returns false when the message was not pinned, else the pins left as a JSON
  array (expired ones included: readers drop them).
]]
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return false end
local list = '[' .. table.concat(redis.call('HVALS', KEYS[1]), ',') .. ']'
if ARGV[3] == '1' then redis.call('XADD', KEYS[2], '*', 'k', 'unpin', 'c', ARGV[2], 's', ARGV[1]) end
if ARGV[4] ~= '' then redis.call(ARGV[5] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[4], 'p' .. list) end
return list
