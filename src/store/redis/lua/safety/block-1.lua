--[[
  Blocks the user's current partner, or its most recent one when not in a
  chat. Blocks are one-way records; matchmaking checks both directions.

  KEYS[1]  user hash
  ARGV[1]  key base
  ARGV[2]  user id
  ARGV[3]  now, epoch ms
  ARGV[4]  block duration, ms

  Returns the blocked user id, or false when there is no partner to block
]]
local u, base, id = KEYS[1], ARGV[1], ARGV[2]
local now, ttl = tonumber(ARGV[3]), tonumber(ARGV[4])
local f = redis.call('HMGET', u, 'state', 'partner', 'last')
local target = f[1] == 'chatting' and f[2] or f[3]
if not target then return false end
local b = base .. 'b:' .. id
redis.call('ZADD', b, now + ttl, target)
redis.call('ZREMRANGEBYSCORE', b, '-inf', now)
redis.call('PEXPIRE', b, ttl)
return target
