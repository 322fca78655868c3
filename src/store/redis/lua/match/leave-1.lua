--[[
  Ends what a user is doing at its own request: its chat (both sides go idle
  and enter cooldown) or its search.

  KEYS[1]  user hash
  ARGV[1]  key base
  ARGV[2]  user id
  ARGV[3]  now, epoch ms
  ARGV[4]  cooldown, ms
  ARGV[5]  what may end: "chat" | "search" | "any"

  Returns {previousState}                        nothing ended, or a search ended
          {"chatting", partnerId, roomId, mode}  a chat ended (mode: "video" while its call was on, else "")
]]
-- @include pools
-- @include chat

local u, base, id = KEYS[1], ARGV[1], ARGV[2]
local now, cooldown, only = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]

local state = redis.call('HGET', u, 'state') or 'idle'
if state == 'chatting' and only ~= 'search' then
  local partner, room, mode = end_chat(base, id, now, cooldown)
  return {'chatting', partner, room, mode}
end
if state == 'waiting' and only ~= 'chat' then
  leave_pools(base, id, u)
  redis.call('HSET', u, 'state', 'idle')
  redis.call('PEXPIRE', u, IDLE_TTL_MS)
end
return {state}
