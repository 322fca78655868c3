-- Pool helpers shared by the matchmaking scripts.
-- A waiting user's hash holds: state=waiting, interests (JSON array), since,
-- active=1 once in the pools, open=1 once in the open pool.

local function enter_pools(base, id, u, interests, since, open)
  for _, interest in ipairs(interests) do
    redis.call('ZADD', base .. 'pool:i:' .. interest, since, id)
  end
  if open then
    redis.call('ZADD', base .. 'pool:open', since, id)
    redis.call('HSET', u, 'open', '1')
  end
  redis.call('HSET', u, 'active', '1')
end

local function leave_pools(base, id, u)
  local raw = redis.call('HGET', u, 'interests')
  if raw then
    for _, interest in ipairs(cjson.decode(raw)) do
      redis.call('ZREM', base .. 'pool:i:' .. interest, id)
    end
  end
  redis.call('ZREM', base .. 'pool:open', id)
  redis.call('ZREM', base .. 'waiting', id)
  redis.call('HDEL', u, 'interests', 'since', 'active', 'open')
end

-- Idle users' hashes only carry cooldown, last partner and connection id.
local IDLE_TTL_MS = 86400000
