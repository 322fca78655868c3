-- Chat helpers shared by the scripts that end, suspend or resume chats.
-- A chatting user's hash holds: state=chatting, room, partner; while its
-- connection is gone within the resume grace also `away` (the deadline),
-- mirrored in the sorted set <base>away.
-- <base>online holds the users with a live connection (attach adds them,
-- drop_connection removes them) or a search (enqueue adds them): a waiting
-- user, and a chatting user not away, is always in it.

local function go_idle(base, id, partner, room, now, cooldown)
  local u = base .. 'u:' .. id
  redis.call('HSET', u, 'state', 'idle', 'cooldown', now + cooldown, 'last', partner, 'lastroom', room, 'ended', now)
  redis.call('HDEL', u, 'room', 'partner', 'away')
  redis.call('PEXPIRE', u, IDLE_TTL_MS)
  redis.call('SREM', base .. 'chatting', id)
  redis.call('ZREM', base .. 'away', id)
end

-- Ends the chat of `id` for both sides. Returns partner, room, mode ('video' or '' for text).
local function end_chat(base, id, now, cooldown)
  local u = base .. 'u:' .. id
  local room, partner = unpack(redis.call('HMGET', u, 'room', 'partner'))
  go_idle(base, id, partner, room, now, cooldown)
  -- The partner is touched only if it is still in this same chat.
  if redis.call('HGET', base .. 'u:' .. partner, 'room') == room then
    go_idle(base, partner, id, room, now, cooldown)
  end
  -- The chat's own keys ({c:<room>}: relay record, log) live in another
  -- slot; the store closes them after this script returns.
  local mode = redis.call('HGET', base .. 'r:' .. room, 'mode') or ''
  redis.call('DEL', base .. 'r:' .. room)
  return partner, room, mode
end

-- The user's connection is gone. A search ends at once; a chat is kept for
-- `grace` ms (0 ends it now). Returns {kind, partner, room} (and the chat's mode when it ended).
local function drop_connection(base, id, now, cooldown, grace)
  local u = base .. 'u:' .. id
  local node = redis.call('HGET', u, 'node')
  if node then redis.call('SREM', base .. 'n:' .. node, id) end
  redis.call('HDEL', u, 'sid', 'node')
  redis.call('SREM', base .. 'online', id)
  local state = redis.call('HGET', u, 'state') or 'idle'
  if state == 'waiting' then
    leave_pools(base, id, u)
    redis.call('HSET', u, 'state', 'idle')
    redis.call('PEXPIRE', u, IDLE_TTL_MS)
    return {'search-ended'}
  end
  if state ~= 'chatting' then return {'idle'} end
  if grace <= 0 then
    local partner, room, mode = end_chat(base, id, now, cooldown)
    return {'chat-ended', partner, room, mode}
  end
  local f = redis.call('HMGET', u, 'room', 'partner', 'away')
  if not f[3] then
    redis.call('HSET', u, 'away', now + grace)
    redis.call('ZADD', base .. 'away', now + grace, id)
  end
  return {'away', f[2], f[1]}
end
