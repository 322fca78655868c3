--[[
  Adds or removes one member's reaction to a live message of the recent
  window. The reactions live in the message's own entry (`rx`: a list of
  pairs, each an emoji and the list of ids of who reacted with it, in the
  order each emoji was first used), so every read
  of the window carries them and they leave with the message. A change is
  logged and announced (with who reacted, so each node can tell its members
  which reactions are theirs) in the same step.

  KEYS[1]  messages (sorted set, score = seq)   KEYS[2]  log (stream)
  ARGV[1]  seq   ARGV[2]  user id   ARGV[3]  emoji   ARGV[4]  '1' to add, '0' to remove
  ARGV[5]  different emoji a message holds at most   ARGV[6]  room code   ARGV[7]  '1' to log
  ARGV[8]  feed channel ('' for none)   ARGV[9]  '1' to announce with SPUBLISH, else PUBLISH

  Returns -1 when there is no such live message, -2 for a new emoji beyond the
  bound, else {1 when changed or 0, the reactions as a JSON array}.
]]
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then return -1 end
local message = cjson.decode(found[1])
if message.deleted then return -1 end
local rx = message.rx or {}
local at
for i, pair in ipairs(rx) do
  if pair[1] == ARGV[3] then at = i end
end
local users = at and rx[at][2] or {}
local mine
for i, id in ipairs(users) do
  if id == ARGV[2] then mine = i end
end
local on = ARGV[4] == '1'
if (mine ~= nil) == on then return {0, #rx > 0 and cjson.encode(rx) or '[]'} end
if not on then
  table.remove(users, mine)
  if #users == 0 then table.remove(rx, at) end
elseif at then
  users[#users + 1] = ARGV[2]
elseif #rx >= tonumber(ARGV[5]) then
  return -2
else
  rx[#rx + 1] = { ARGV[3], { ARGV[2] } }
end
if #rx > 0 then message.rx = rx else message.rx = nil end
redis.call('ZREM', KEYS[1], found[1])
redis.call('ZADD', KEYS[1], ARGV[1], cjson.encode(message))
local list = #rx > 0 and cjson.encode(rx) or '[]'
if ARGV[7] == '1' then
  redis.call('XADD', KEYS[2], '*', 'k', 'react', 'c', ARGV[6], 's', ARGV[1], 'e', ARGV[3], 'u', ARGV[2], 'on', ARGV[4])
end
if ARGV[8] ~= '' then redis.call(ARGV[9] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[8], 'x' .. ARGV[1] .. '\n' .. list) end
return {1, list}
