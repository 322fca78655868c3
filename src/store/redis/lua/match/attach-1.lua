--[[
  A connection of this user arrives (first, reload, reconnect, or another
  tab): it becomes the user's live connection on this node, and the user
  counts as online. A chat in progress — suspended or not — is resumed by
  it; a search ends (the new connection starts idle) unless ARGV[5] says the
  same connection is attached again.

  KEYS[1]  user hash
  ARGV[1]  key base
  ARGV[2]  user id
  ARGV[3]  connection id
  ARGV[4]  node id
  ARGV[5]  '1': the connection is already open (its node was swept while alive): a search goes on

  Returns {"idle"} | {"search-ended"}
          {"resumed", partnerId, roomId, startedAt, commonJson, wasAway ("1"/"0"), mode ("video" or "" for text), initiator id}
  (the chat's log lives under the chat's own tag: the store reads it next)
]]
-- @include pools

local u, base, id, sid, node = KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local previous = redis.call('HGET', u, 'node')
if previous then redis.call('SREM', base .. 'n:' .. previous, id) end
redis.call('HSET', u, 'sid', sid, 'node', node)
redis.call('SADD', base .. 'n:' .. node, id)
redis.call('SADD', base .. 'online', id)

local state = redis.call('HGET', u, 'state') or 'idle'
if state == 'waiting' then
  if ARGV[5] == '1' then return {'idle'} end
  leave_pools(base, id, u)
  redis.call('HSET', u, 'state', 'idle')
  return {'search-ended'}
end
if state ~= 'chatting' then return {'idle'} end

local f = redis.call('HMGET', u, 'room', 'partner', 'away')
local wasAway = f[3] and '1' or '0'
redis.call('HDEL', u, 'away')
redis.call('ZREM', base .. 'away', id)
local chat = redis.call('HMGET', base .. 'r:' .. f[1], 'startedAt', 'common', 'mode', 'a')
return {'resumed', f[2], f[1], chat[1] or '0', chat[2] or '[]', wasAway, chat[3] or '', chat[4] or ''}
