--[[
  Ends the call of the user's video chat: the chat's mode becomes text for
  good (a later resume carries no call). Of two sides ending at once, the
  first ends it, the second finds a text chat.

  KEYS[1]  user hash
  ARGV[1]  key base

  Returns {1, partnerId, roomId}  ended here
          {-1}                    a text chat (now)
          {-2}                    not in a chat
]]
local f = redis.call('HMGET', KEYS[1], 'state', 'room', 'partner')
if f[1] ~= 'chatting' or not f[2] then return {-2} end
local chat = ARGV[1] .. 'r:' .. f[2]
if redis.call('HGET', chat, 'mode') ~= 'video' then return {-1} end
redis.call('HDEL', chat, 'mode')
return {1, f[3], f[2]}
