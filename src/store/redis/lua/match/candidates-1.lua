--[[
  One bounded read of the candidate pools for one seeker, with what the rules
  need to judge each waiter read. Read-only; the rules decide, commit-pair
  re-checks. Three parts, each bounded:

  - the window: the `head` oldest waiters of each pool, the `near` waiters on
    each side of the seeker's own place in it, and the `tail` newest. The
    seeker's neighbours give simultaneous seekers different candidates, where
    the head alone would have them all race for the same few oldest waiters;
  - the page: up to `page` waiters from the cursor on, walking the pools in
    the order given, by (since, id) as the sorted sets order them. The
    matchmaker moves the cursor on from one read to the next, so a waiter's
    searches together read every pool whole, whatever its size;
  - the recheck ids: users whose reason not to be paired has run out by now.

  KEYS[1]  a key of the key base's hash tag: it routes the script to that slot on Redis Cluster

  ARGV[1]   key base
  ARGV[2]   seeker id
  ARGV[3]   now, epoch ms
  ARGV[4]   head count per pool
  ARGV[5]   tail count per pool
  ARGV[6]   near count per side
  ARGV[7]   page size (0: no page)
  ARGV[8]   cursor: index (1-based) of the pool the page starts in
  ARGV[9]   cursor: score the page starts at ("-inf" at the start of a pool)
  ARGV[10]  cursor: id of the last waiter read at that score ("" for none)
  ARGV[11]  number of pools N
  ARGV[12 .. 11+N]  pool suffixes ("pool:open", "pool:i:<interest>", "pool:l:<language>:open", "pool:v:open", ...)
  ARGV[12+N ..]     ids to recheck

  Returns {candidates, cursor, seeker}:
    candidates  flat, ten entries each: id, interests JSON, since,
                cooldownUntil, lastChatAt ("" if never), blockedUntil (the
                later block either way, "0" if none), node of its live
                connection ("" if none), primary languages JSON ("" if not
                recorded), ms after which it accepts any language ("" never),
                mode ("video", or "" for text)
    cursor      {poolIndex, score, id} where the next page starts, or {} once
                the page passed the end of the last pool
    seeker      {state, since} of the seeker itself ("" when unset)
]]
local base, seeker, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local head, tail, near, page = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local npools = tonumber(ARGV[11])
local seen, out = {}, {}
local history, blocks = base .. 'h:' .. seeker, base .. 'b:' .. seeker

local function consider(id)
  if seen[id] or id == seeker then return end
  seen[id] = true
  local f = redis.call('HMGET', base .. 'u:' .. id, 'state', 'interests', 'since', 'cooldown', 'active', 'node', 'langs', 'anyafter', 'mode')
  if f[1] ~= 'waiting' or f[5] ~= '1' then return end
  local last = redis.call('ZSCORE', history, id)
  local mine = tonumber(redis.call('ZSCORE', blocks, id) or '0')
  local theirs = tonumber(redis.call('ZSCORE', base .. 'b:' .. id, seeker) or '0')
  local blocked = math.max(mine, theirs)
  local n = #out
  out[n + 1], out[n + 2], out[n + 3] = id, f[2], f[3]
  out[n + 4], out[n + 5], out[n + 6] = f[4] or '0', last or '', blocked > now and string.format('%d', blocked) or '0'
  out[n + 7], out[n + 8], out[n + 9], out[n + 10] = f[6] or '', f[7] or '', f[8] or '', f[9] or ''
end

for i = 12, 11 + npools do
  local pool = base .. ARGV[i]
  if head > 0 then
    for _, id in ipairs(redis.call('ZRANGE', pool, 0, head - 1)) do consider(id) end
  end
  local rank = near > 0 and redis.call('ZRANK', pool, seeker)
  if rank then
    for _, id in ipairs(redis.call('ZRANGE', pool, math.max(rank - near, head), rank + near)) do consider(id) end
  end
  if tail > 0 then
    for _, id in ipairs(redis.call('ZRANGE', pool, -tail, -1)) do consider(id) end
  end
end

-- The page. Waiters sharing the cursor's score sort by id: those up to the
-- cursor's id were read before and are skipped.
local cursor = {}
if page > 0 then
  local at, score, after = tonumber(ARGV[8]), ARGV[9], ARGV[10]
  local budget = page
  while budget > 0 and at <= npools do
    local pool = base .. ARGV[11 + at]
    local from, fromId, offset, ended = score, after, 0, false
    local fromScore = tonumber(from)
    while budget > 0 do
      local want = budget
      local batch = redis.call('ZRANGE', pool, from, '+inf', 'BYSCORE', 'LIMIT', offset, want, 'WITHSCORES')
      for j = 1, #batch, 2 do
        local id, s = batch[j], batch[j + 1]
        if fromId == '' or tonumber(s) > fromScore or id > fromId then
          consider(id)
          budget = budget - 1
          score, after = s, id
        end
      end
      if #batch < want * 2 then ended = true break end
      offset = offset + want
    end
    if ended then
      at, score, after = at + 1, '-inf', ''
    end
  end
  if at <= npools then cursor = {at, score, after} end
end

for i = 12 + npools, #ARGV do consider(ARGV[i]) end

local s = redis.call('HMGET', base .. 'u:' .. seeker, 'state', 'since')
return {out, cursor, {s[1] or '', s[2] or ''}}
