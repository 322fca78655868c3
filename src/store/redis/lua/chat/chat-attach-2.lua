--[[
  A connection of a chatting user was attached (matchmaking resumed the
  chat): records it as the user's live connection in the chat's record, so
  relays can hand the partner's messages to it directly when they share a
  node, and reads the chat's log in the same step — a message relayed before
  this step is in the log read, one relayed after it is handed to this
  connection. Opens the record if no node has yet; never reopens a closed one.

  KEYS[1]  chat record
  KEYS[2]  chat log
  ARGV[1]  user id
  ARGV[2]  its connection, "<node>\n<sid>"
  ARGV[3]  partner id
  ARGV[4]  chat start, epoch ms
  ARGV[5]  idle ttl, ms
  ARGV[6]  the epoch of the chat's stream, should this step open the record

  Returns {epoch, entry, entry, …}: the chat's epoch, then its log, oldest first
]]
local chat, id = KEYS[1], ARGV[1]
local state = redis.call('HGET', chat, 'state')
if not state then
  redis.call('HSET', chat, 'state', 'open', 'a', id, 'b', ARGV[3], 'startedAt', ARGV[4], 'epoch', ARGV[6])
  redis.call('PEXPIRE', chat, tonumber(ARGV[5]))
  state = 'open'
end
if state == 'open' then
  local a, b = unpack(redis.call('HMGET', chat, 'a', 'b'))
  if a == id or b == id then redis.call('HSET', chat, 's:' .. id, ARGV[2]) end
end
local entries = redis.call('LRANGE', KEYS[2], 0, -1)
table.insert(entries, 1, redis.call('HGET', chat, 'epoch') or '')
return entries
