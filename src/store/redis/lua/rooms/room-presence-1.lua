--[[
  A member's connection came back or went away.

  KEYS[1]  members hash
  ARGV[1]  'attach' or 'detach'   ARGV[2]  user id   ARGV[3]  socket id
  ARGV[4]  node (attach) or away-until epoch ms (detach)

  attach: records the connection and clears the grace; returns the previous node.
  Either returns 0 when the user is not a member.
  detach: only when the member's connection is this socket; returns 1, else 0.
]]
local raw = redis.call('HGET', KEYS[1], ARGV[2])
if not raw then return 0 end
local member = cjson.decode(raw)
local previous = member.node
if ARGV[1] == 'attach' then
  member.sid, member.node, member.awayUntil = ARGV[3], ARGV[4], '0'
else
  if member.sid ~= ARGV[3] then return 0 end
  member.awayUntil = ARGV[4]
end
redis.call('HSET', KEYS[1], ARGV[2], cjson.encode(member))
if ARGV[1] == 'attach' then return previous end
return 1
