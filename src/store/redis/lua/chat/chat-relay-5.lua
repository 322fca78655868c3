--[[
  Relays one message of a one-to-one chat: checks the chat is open and the
  sender one of its two users, spends a point of the sender's message budget
  in this chat, gives the message the chat's next seq and records it in the
  chat's log. Every key is under the chat's own hash tag ({c:<room>}), so
  chat traffic spreads over a Redis Cluster's shards; one round trip per
  message.

  KEYS[1]  chat record (hash: a, b, startedAt, state, epoch, seq)
  KEYS[2]  chat log (list)
  KEYS[3]  the sender's message budget in this chat (counter)
  KEYS[4]  the chat's sends by client id (hash: "<sender>\n<clientId>" -> logged entry),
           this generation's: every ARGV[3] messages it becomes KEYS[5]
  KEYS[5]  the previous generation's sends by client id; a retry is found in either, so
           one within the last ARGV[3] messages always is, and the two hold at most 2 × ARGV[3]
  ARGV[1]  sender id
  ARGV[2]  message entry, JSON object without seq (id, from, text, sentAt, replyTo?)
  ARGV[3]  log length cap
  ARGV[4]  idle ttl of the record and the log, ms (a safety net: the store
           closes them when the chat ends), renewed every 32nd message
  ARGV[5]  budget: points per window
  ARGV[6]  budget: window, ms
  ARGV[7]  now, epoch ms
  ARGV[8]  minimum chat age, ms (0: any); a younger chat logs nothing
  ARGV[9]  the send's client id ('' for none)

  Returns {1, partnerId, partnerSocket, seq, epoch}
                               logged; partnerSocket: the partner's live
                               connection as last attached, "<node>\n<sid>"
                               ('' when unknown)
          {2, entry}           the client id was used already: its logged entry (nothing spent)
          {-1, retryAfterMs}   over budget (nothing logged)
          {-2}                 the chat is closed, or the sender is not in it
          {-3, retryAfterMs}   the chat is younger than ARGV[8] (the point is spent)
          {-4}                 no record of this chat (not opened yet, or expired)
]]
local chat, log, budget, sent, sentBefore = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local sender, ttl, clientId = ARGV[1], tonumber(ARGV[4]), ARGV[9]
local f = redis.call('HMGET', chat, 'state', 'a', 'b', 'startedAt', 'epoch')
if not f[1] then return {-4} end
if f[1] ~= 'open' then return {-2} end
local partner
if f[2] == sender then partner = f[3] elseif f[3] == sender then partner = f[2] else return {-2} end

local sentKey = sender .. '\n' .. clientId
if clientId ~= '' then
  local earlier = redis.call('HGET', sent, sentKey) or redis.call('HGET', sentBefore, sentKey)
  if earlier then return {2, earlier} end
end

local spent = redis.call('INCR', budget)
if spent == 1 then redis.call('PEXPIRE', budget, tonumber(ARGV[6])) end
if spent > tonumber(ARGV[5]) then return {-1, redis.call('PTTL', budget)} end

local minAge, now = tonumber(ARGV[8]), tonumber(ARGV[7])
local startedAt = tonumber(f[4])
if minAge > 0 and startedAt and now - startedAt < minAge then return {-3, startedAt + minAge - now} end

local seq = redis.call('HINCRBY', chat, 'seq', 1)
local entry = '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2)
local cap = tonumber(ARGV[3])
if redis.call('RPUSH', log, entry) > cap then redis.call('LTRIM', log, -cap, -1) end
-- The idle ttl is a safety net of hours: renewed with the first message and every 32nd after it.
local renew = seq % 32 == 1
if renew then
  redis.call('PEXPIRE', log, ttl)
  redis.call('PEXPIRE', chat, ttl)
end
if clientId ~= '' and redis.call('HSET', sent, sentKey, entry) == 1 and (renew or redis.call('PTTL', sent) < 0) then
  redis.call('PEXPIRE', sent, ttl)
end
-- A generation ends every `cap` messages (RENAME keeps the ttl; an empty one leaves nothing before it).
if seq % cap == 0 then
  if redis.call('EXISTS', sent) == 1 then redis.call('RENAME', sent, sentBefore) else redis.call('DEL', sentBefore) end
end
return {1, partner, redis.call('HGET', chat, 's:' .. partner) or '', seq, f[5] or ''}
