-- Pool helpers shared by the matchmaking scripts.
-- A waiting user's hash holds: state=waiting, interests (JSON array), since,
-- langs (JSON array of primary languages, [] for none; absent on searches
-- started before languages existed), anyafter (ms after which a search with
-- languages accepts any language; absent: never), active=1 once in the pools,
-- open=1 once in the open pools, anylang=1 once in the pools of any language,
-- mode=video for a video search (absent: text).
--
-- Pools come per mode and scope: for each language l `pool:l:<l>:i:<interest>`
-- and `pool:l:<l>:open`; for any language `pool:i:<interest>` and `pool:open`
-- (the names pools had before languages); a video search's pools are the same
-- with `pool:v:` in place of `pool:` (as poolKey in match-pools.ts builds them).
-- `waiting:lang` counts waiting users per language ('*' for those without
-- languages); `waiting:video` holds the video searches.

local function pool_scopes(langs, any, mode)
  local root = mode == 'video' and 'pool:v:' or 'pool:'
  local scopes = {}
  for _, l in ipairs(langs) do scopes[#scopes + 1] = root .. 'l:' .. l .. ':' end
  if any then scopes[#scopes + 1] = root end
  return scopes
end

-- Enters the pools; those entered before (open, any language) are kept.
local function enter_pools(base, id, u, interests, since, open, any)
  local f = redis.call('HMGET', u, 'open', 'anylang', 'langs', 'mode')
  local langs = cjson.decode(f[3] or '[]')
  open = open or f[1] == '1'
  any = any or f[2] == '1' or #langs == 0
  for _, scope in ipairs(pool_scopes(langs, any, f[4])) do
    for _, interest in ipairs(interests) do
      redis.call('ZADD', base .. scope .. 'i:' .. interest, since, id)
    end
    if open then redis.call('ZADD', base .. scope .. 'open', since, id) end
  end
  if open then redis.call('HSET', u, 'open', '1') end
  if any then redis.call('HSET', u, 'anylang', '1') end
  redis.call('HSET', u, 'active', '1')
end

-- The buckets of `waiting:lang` a search with these languages counts in.
local function counted_languages(langs)
  if #langs == 0 then return {'*'} end
  return langs
end

local function leave_pools(base, id, u)
  local f = redis.call('HMGET', u, 'interests', 'langs', 'mode')
  local interests = f[1] and cjson.decode(f[1]) or {}
  local langs = f[2] and cjson.decode(f[2]) or {}
  for _, scope in ipairs(pool_scopes(langs, true, f[3])) do
    for _, interest in ipairs(interests) do
      redis.call('ZREM', base .. scope .. 'i:' .. interest, id)
    end
    redis.call('ZREM', base .. scope .. 'open', id)
  end
  if f[2] then
    for _, l in ipairs(counted_languages(langs)) do
      if redis.call('HINCRBY', base .. 'waiting:lang', l, -1) <= 0 then redis.call('HDEL', base .. 'waiting:lang', l) end
    end
  end
  redis.call('ZREM', base .. 'waiting', id)
  redis.call('SREM', base .. 'waiting:video', id)
  redis.call('HDEL', u, 'interests', 'since', 'active', 'open', 'langs', 'anyafter', 'anylang', 'mode')
end

-- Idle users' hashes only carry cooldown, last partner and connection id.
local IDLE_TTL_MS = 86400000
