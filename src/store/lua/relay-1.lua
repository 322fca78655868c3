--[[
  Records a message in the sender's chat log and says where to deliver it.
  The chat comes from the sender's state, never from the client.

  KEYS[1]  sender's user hash
  ARGV[1]  key base
  ARGV[2]  message entry, JSON (id, from, text, sentAt, replyTo?)
  ARGV[3]  log length cap
  ARGV[4]  log ttl, ms (a safety net: the log is deleted with the chat)

  Returns {partnerId, roomId}, or false when the sender is not in a chat
]]
local u, base = KEYS[1], ARGV[1]
local f = redis.call('HMGET', u, 'state', 'partner', 'room')
if f[1] ~= 'chatting' then return false end
local log = base .. 'r:' .. f[3] .. ':log'
redis.call('RPUSH', log, ARGV[2])
redis.call('LTRIM', log, -tonumber(ARGV[3]), -1)
redis.call('PEXPIRE', log, tonumber(ARGV[4]))
return {f[2], f[3]}
