--[[
  The chat a user is in, as matchmaking committed it: what the store needs to
  open the chat's relay record when this node has not seen it yet, and what a
  call needs: the chat's mode and its initiator (`a`).

  KEYS[1]  user hash
  ARGV[1]  key base

  Returns {roomId, partnerId, startedAt, a, b, mode ("video" or "" for text)}, or {} when not in a chat
]]
local f = redis.call('HMGET', KEYS[1], 'state', 'room', 'partner')
if f[1] ~= 'chatting' or not f[2] then return {} end
local chat = redis.call('HMGET', ARGV[1] .. 'r:' .. f[2], 'startedAt', 'a', 'b', 'mode')
return {f[2], f[3], chat[1] or '0', chat[2] or '', chat[3] or '', chat[4] or ''}
