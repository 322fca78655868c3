--[[
  Puts a waiting user into the candidate pools: when its cooldown ends, and
  again when its interests fall back to anyone (into the open pools) or it
  starts to accept any language (into the pools of any language). Pools
  entered before are kept.

  KEYS[1]  user hash
  ARGV[1]  key base
  ARGV[2]  user id
  ARGV[3]  since: the search this activation belongs to
  ARGV[4]  "1" to enter the open pools as well
  ARGV[5]  "1" to enter the pools of any language as well

  Returns 1 done, 0 that search is over (cancelled, restarted or matched)
]]
-- @include pools

local u, base, id, since, open = KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1'
local fields = redis.call('HMGET', u, 'state', 'since', 'interests')
if fields[1] ~= 'waiting' or fields[2] ~= since then return 0 end
enter_pools(base, id, u, cjson.decode(fields[3]), tonumber(since), open, ARGV[5] == '1')
return 1
