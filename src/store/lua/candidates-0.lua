--[[
  A bounded read of the candidate pools for one seeker: the `head` oldest
  waiters of each pool named, the `near` waiters on each side of the seeker's
  own place in it, and the `tail` newest, with what the rules need to judge
  each one. Read-only; the rules decide, commit-pair re-checks. The seeker's
  neighbours give simultaneous seekers different candidates, where the head
  alone would have them all race for the same few oldest waiters.

  ARGV[1]  key base
  ARGV[2]  seeker id
  ARGV[3]  now, epoch ms
  ARGV[4]  head count per pool
  ARGV[5]  tail count per pool
  ARGV[6]  near count per side
  ARGV[7..] pool suffixes ("pool:open", "pool:i:<interest>")

  Returns a flat array, seven entries per candidate:
    id, interests JSON, since, cooldownUntil, lastChatAt ("" if never),
    blocked ("1"/"0"), node of its live connection ("" if none)
]]
local base, seeker, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local head, tail, near = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local seen, out = {}, {}
local history, blocks = base .. 'h:' .. seeker, base .. 'b:' .. seeker

local function consider(id)
  if seen[id] or id == seeker then return end
  seen[id] = true
  local f = redis.call('HMGET', base .. 'u:' .. id, 'state', 'interests', 'since', 'cooldown', 'active', 'node')
  if f[1] ~= 'waiting' or f[5] ~= '1' then return end
  local last = redis.call('ZSCORE', history, id)
  local mine = tonumber(redis.call('ZSCORE', blocks, id) or '0')
  local theirs = tonumber(redis.call('ZSCORE', base .. 'b:' .. id, seeker) or '0')
  local blocked = (mine > now or theirs > now) and '1' or '0'
  local n = #out
  out[n + 1], out[n + 2], out[n + 3] = id, f[2], f[3]
  out[n + 4], out[n + 5], out[n + 6] = f[4] or '0', last or '', blocked
  out[n + 7] = f[6] or ''
end

for i = 7, #ARGV do
  local pool = base .. ARGV[i]
  for _, id in ipairs(redis.call('ZRANGE', pool, 0, head - 1)) do consider(id) end
  local rank = near > 0 and redis.call('ZRANK', pool, seeker)
  if rank then
    for _, id in ipairs(redis.call('ZRANGE', pool, math.max(rank - near, head), rank + near)) do consider(id) end
  end
  if tail > 0 then
    for _, id in ipairs(redis.call('ZRANGE', pool, -tail, -1)) do consider(id) end
  end
end
return out
