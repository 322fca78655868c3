--[[
  Admits one more connection from an IP address if the cluster-wide count of
  its connections stays within the cap. Counts are kept per node, so a dead
  node's share disappears when it is swept; only live nodes are summed.

  KEYS[1]  a key of the key base's hash tag: it routes the script to that slot on Redis Cluster

  ARGV[1]  key base
  ARGV[2]  keyed hash of the client address (src/moderation/ip-hash.ts; never the raw address)
  ARGV[3]  this node id
  ARGV[4]  cap
  ARGV[5]  oldest heartbeat of a live node, epoch ms

  Returns 1 admitted (and counted), 0 refused
]]
local base, ip, node, cap = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local total = 0
for _, live in ipairs(redis.call('ZRANGEBYSCORE', base .. 'nodes', ARGV[5], '+inf')) do
  total = total + tonumber(redis.call('HGET', base .. 'ip:' .. live, ip) or '0')
end
if total >= cap then return 0 end
redis.call('HINCRBY', base .. 'ip:' .. node, ip, 1)
return 1
