--[[
  A node is dead: each user whose live connection was there enters its grace.

  KEYS[1]  the node's set of present users   KEYS[2]  away schedule
  ARGV[1]  key base   ARGV[2]  node id   ARGV[3]  end of grace

  Returns how many users entered the grace.
]]
local base, node = ARGV[1], ARGV[2]
local prefix = node .. '\n'
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local v = redis.call('GET', base .. 'p:' .. id)
  if v and string.sub(v, 1, #prefix) == prefix then
    redis.call('ZADD', KEYS[2], 'NX', ARGV[3], id)
    n = n + 1
  end
end
redis.call('DEL', KEYS[1])
return n
