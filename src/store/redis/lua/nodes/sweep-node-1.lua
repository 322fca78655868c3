--[[
  A node stopped heart-beating: its users count as disconnected from now.
  Waiting users leave the pools; chatting users enter the resume grace.
  Users who already reconnected elsewhere are no longer in the node's set.

  KEYS[1]  a key of the key base's hash tag: it routes the script to that slot on Redis Cluster

  ARGV[1]  key base
  ARGV[2]  dead node id
  ARGV[3]  now, epoch ms
  ARGV[4]  cooldown, ms
  ARGV[5]  resume grace, ms

  Returns a flat array, five entries per user: userId, kind, partnerId, roomId, mode
  (partner and room are "" unless kind is "away" or "chat-ended"; mode is "video"
  for a chat ended while its call was on, else "")
]]
-- @include pools
-- @include chat

local base, node = ARGV[1], ARGV[2]
local now, cooldown, grace = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local set = base .. 'n:' .. node
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', set)) do
  if redis.call('HGET', base .. 'u:' .. id, 'node') == node then
    local r = drop_connection(base, id, now, cooldown, grace)
    out[#out + 1], out[#out + 2], out[#out + 3], out[#out + 4], out[#out + 5] = id, r[1], r[2] or '', r[3] or '', r[4] or ''
  end
end
redis.call('DEL', set)
return out
