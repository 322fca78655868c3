--[[
  Spends a point of the sender's message budget, then records the message in
  the sender's chat log and says where to deliver it: one round trip per
  message. The budget is a fixed window counter. The chat comes from the
  sender's state, never from the client.

  KEYS[1]  sender's user hash
  KEYS[2]  sender's message budget counter
  ARGV[1]  key base
  ARGV[2]  message entry, JSON (id, from, text, sentAt, replyTo?)
  ARGV[3]  log length cap
  ARGV[4]  log ttl, ms (a safety net: the log is deleted with the chat)
  ARGV[5]  budget: points per window
  ARGV[6]  budget: window, ms
  ARGV[7]  now, epoch ms
  ARGV[8]  minimum chat age, ms (0: any); a younger chat logs nothing

  Returns {1, partnerId, roomId}  logged
          {-1, retryAfterMs}      over budget (nothing logged)
          {-2}                    the sender is not in a chat (the point is spent)
          {-3, retryAfterMs}      the chat is younger than ARGV[8] (the point is spent)
]]
local u, budget, base = KEYS[1], KEYS[2], ARGV[1]
local spent = redis.call('INCR', budget)
if spent == 1 then redis.call('PEXPIRE', budget, tonumber(ARGV[6])) end
if spent > tonumber(ARGV[5]) then return {-1, redis.call('PTTL', budget)} end

local f = redis.call('HMGET', u, 'state', 'partner', 'room')
if f[1] ~= 'chatting' then return {-2} end
local minAge = tonumber(ARGV[8])
if minAge > 0 then
  local startedAt = tonumber(redis.call('HGET', base .. 'r:' .. f[3], 'startedAt'))
  local now = tonumber(ARGV[7])
  if startedAt and now - startedAt < minAge then return {-3, startedAt + minAge - now} end
end
local log = base .. 'r:' .. f[3] .. ':log'
redis.call('RPUSH', log, ARGV[2])
redis.call('LTRIM', log, -tonumber(ARGV[3]), -1)
redis.call('PEXPIRE', log, tonumber(ARGV[4]))
return {1, f[2], f[3]}
