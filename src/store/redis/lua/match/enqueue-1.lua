--[[
  Starts (or restarts, replacing the interests and languages) a user's search. A searching
  user counts as online: its connection's close ends the search.

  KEYS[1]  user hash
  ARGV[1]  key base
  ARGV[2]  user id
  ARGV[3]  interests, JSON array (already normalised)
  ARGV[4]  now, epoch ms
  ARGV[5]  primary languages, JSON array (already normalised; [] for none)
  ARGV[6]  with languages: ms after which it also accepts any language ("" never)
  ARGV[7]  "video" for a video search; "" (or absent) for text: each mode has its own pools

  Returns {1, since, cooldownUntil, active}  search started
          {-1}                              refused: the user is in a chat
]]
-- @include pools

local u, base, id, raw, nowRaw = KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = tonumber(nowRaw)
-- Decoded before anything is written, so bad input changes nothing.
local interests = cjson.decode(raw)
local langs = cjson.decode(ARGV[5])
local state = redis.call('HGET', u, 'state')
if state == 'chatting' then return {-1} end
if state == 'waiting' then leave_pools(base, id, u) end

redis.call('HSET', u, 'state', 'waiting', 'interests', raw, 'since', nowRaw, 'langs', ARGV[5])
if #langs > 0 and ARGV[6] ~= '' then redis.call('HSET', u, 'anyafter', ARGV[6]) end
if ARGV[7] == 'video' then
  redis.call('HSET', u, 'mode', 'video')
  redis.call('SADD', base .. 'waiting:video', id)
end
for _, l in ipairs(counted_languages(langs)) do redis.call('HINCRBY', base .. 'waiting:lang', l, 1) end
redis.call('PERSIST', u)
redis.call('ZADD', base .. 'waiting', now, id)
redis.call('SADD', base .. 'online', id)

local cooldown = tonumber(redis.call('HGET', u, 'cooldown') or '0')
local active = 0
if cooldown <= now then
  enter_pools(base, id, u, interests, now, #interests == 0, false)
  active = 1
end
return {1, now, cooldown, active}
