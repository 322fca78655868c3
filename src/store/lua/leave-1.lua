--[[
  Ends what a user is doing: its chat (both sides go idle and enter cooldown)
  or its search. Also claims or releases the user's live connection id, so an
  old connection's disconnect never ends what a newer connection does.

  KEYS[1]  user hash
  ARGV[1]  key base
  ARGV[2]  user id
  ARGV[3]  now, epoch ms
  ARGV[4]  cooldown, ms
  ARGV[5]  what may end: "chat" | "search" | "any"
  ARGV[6]  expected connection id ("" = no check); released when it matches
           or when none is recorded
  ARGV[7]  connection id to record ("" = none)

  Returns {0}                              expected connection id did not match
          {1, previousState}               nothing ended, or a search ended
          {1, "chatting", partnerId, roomId} a chat ended
]]
-- @include pools

local u, base, id = KEYS[1], ARGV[1], ARGV[2]
local now, cooldown, only = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local expect, claim = ARGV[6], ARGV[7]

if expect ~= '' then
  -- A missing id (state lost in a Redis restart) cannot belong to a newer connection.
  local sid = redis.call('HGET', u, 'sid')
  if sid and sid ~= expect then return {0} end
  redis.call('HDEL', u, 'sid')
end
if claim ~= '' then redis.call('HSET', u, 'sid', claim) end

local function go_idle(hash, partner)
  redis.call('HSET', hash, 'state', 'idle', 'cooldown', now + cooldown, 'last', partner)
  redis.call('HDEL', hash, 'room', 'partner')
  redis.call('PEXPIRE', hash, IDLE_TTL_MS)
end

local state = redis.call('HGET', u, 'state') or 'idle'
if state == 'chatting' and only ~= 'search' then
  local room, partner = unpack(redis.call('HMGET', u, 'room', 'partner'))
  go_idle(u, partner)
  redis.call('SREM', base .. 'chatting', id)
  local up = base .. 'u:' .. partner
  -- The partner is touched only if it is still in this same chat.
  if redis.call('HGET', up, 'room') == room then
    go_idle(up, id)
    redis.call('SREM', base .. 'chatting', partner)
  end
  redis.call('DEL', base .. 'r:' .. room)
  return {1, 'chatting', partner, room}
end
if state == 'waiting' and only ~= 'chat' then
  leave_pools(base, id, u)
  redis.call('HSET', u, 'state', 'idle')
  redis.call('PEXPIRE', u, IDLE_TTL_MS)
end
return {1, state}
