--[[
  A connection closed. Applies only if it is still the user's live
  connection (or none is recorded, as after a Redis restart), so an old
  connection's close never disturbs a newer one.

  KEYS[1]  user hash
  ARGV[1]  key base
  ARGV[2]  user id
  ARGV[3]  connection id
  ARGV[4]  now, epoch ms
  ARGV[5]  cooldown, ms
  ARGV[6]  resume grace, ms (0 ends a chat at once)

  Returns {"stale"}                     a newer connection took over
          {"idle"} | {"search-ended"}
          {"away", partnerId, roomId}   chat kept for the grace period
          {"chat-ended", partnerId, roomId, mode}  (mode: "video" while its call was on, else "")
]]
-- @include pools
-- @include chat

local u, base, id, sid = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local now, cooldown, grace = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local current = redis.call('HGET', u, 'sid')
if current and current ~= sid then return {'stale'} end
return drop_connection(base, id, now, cooldown, grace)
