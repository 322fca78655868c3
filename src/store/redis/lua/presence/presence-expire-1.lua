--[[
  Ends the presence of users whose grace is over.

  KEYS[1]  away schedule
  ARGV[1]  key base (presence keys are <base>p:<id>, node sets <base>n:<node>)
  ARGV[2]  now   ARGV[3]  most users to end

  Returns the ids of the users now absent.
]]
local base = ARGV[1]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  local p = base .. 'p:' .. id
  local v = redis.call('GET', p)
  if v then
    local node = string.match(v, '^([^\n]*)\n')
    if node then redis.call('SREM', base .. 'n:' .. node, id) end
    redis.call('DEL', p)
  end
end
return due
