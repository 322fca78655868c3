--[[
  Ends the chats of users whose resume grace ran out. Any node may run it;
  each expiry is handled exactly once.

  KEYS[1]  a key of the key base's hash tag: it routes the script to that slot on Redis Cluster

  ARGV[1]  key base
  ARGV[2]  now, epoch ms
  ARGV[3]  cooldown, ms
  ARGV[4]  at most this many users

  Returns a flat array, four entries per ended chat: userId, partnerId, roomId, mode ("video" while its call was on, else "")
]]
-- @include pools
-- @include chat

local base, now, cooldown = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. 'away', '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))) do
  local f = redis.call('HMGET', base .. 'u:' .. id, 'state', 'away')
  if f[1] == 'chatting' and f[2] and tonumber(f[2]) <= now then
    local partner, room, mode = end_chat(base, id, now, cooldown)
    out[#out + 1], out[#out + 2], out[#out + 3], out[#out + 4] = id, partner, room, mode
  else
    redis.call('ZREM', base .. 'away', id)
  end
end
return out
