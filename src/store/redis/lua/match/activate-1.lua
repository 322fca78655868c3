--[[
  Puts a waiting user into the candidate pools: when its cooldown ends, and
  again (into the open pool) when its interests fall back to anyone.

  KEYS[1]  user hash
  ARGV[1]  key base
  ARGV[2]  user id
  ARGV[3]  since: the search this activation belongs to
  ARGV[4]  "1" to enter the open pool as well

  Returns 1 done, 0 that search is over (cancelled, restarted or matched)
]]
-- @include pools

local u, base, id, since, open = KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1'
local fields = redis.call('HMGET', u, 'state', 'since', 'interests')
if fields[1] ~= 'waiting' or fields[2] ~= since then return 0 end
enter_pools(base, id, u, cjson.decode(fields[3]), tonumber(since), open)
return 1
