--[[
  The fence of matchmaking: re-checks that both users are still waiting (in
  the searches the pair was judged on, when given) and eligible for each other, then commits the pair in one step — chat record,
  both users' state, pool removal, rematch history both ways. Correct even if
  the lock taken around it has expired: a user can never be in two chats.

  KEYS[1]  user hash of a
  KEYS[2]  user hash of b
  ARGV[1]  key base
  ARGV[2]  a id
  ARGV[3]  b id
  ARGV[4]  room id
  ARGV[5]  now, epoch ms
  ARGV[6]  rematch window, ms
  ARGV[7]  common interests, JSON array
  ARGV[8]  the mode both searches must be in and the chat's: "video", or "" for text (another mode of a: -1, of b: -2)
  ARGV[9]  optional: the `since` of a's search the pair was judged on (another search of a: -1)
  ARGV[10] optional: the same for b (another search of b: -2)

  Returns {1, lastRoomA, lastRoomB, socketA, socketB}
                          committed; the users' previous chats ('' when
                          none), which the store closes again in case the
                          node that ended them stopped before it could; and
                          each user's live connection, "<node>\n<sid>" (''
                          when none), for the chat's record
          {-1, aState}    a is not an active waiter
          {-2}            b is not an active waiter
          {-3}            a cooldown is running
          {-4}            they chatted inside the rematch window
          {-5}            a and b are the same user
          {-6}            a block exists either way
]]
-- @include pools

local ua, ub = KEYS[1], KEYS[2]
local base, a, b, room = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now, window, common = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
if a == b then return {-5} end

local mode = ARGV[8]
local fa = redis.call('HMGET', ua, 'state', 'active', 'cooldown', 'since', 'mode')
if fa[1] ~= 'waiting' or fa[2] ~= '1' or (ARGV[9] and fa[4] ~= ARGV[9]) or (fa[5] or '') ~= mode then return {-1, fa[1] or 'idle'} end
local fb = redis.call('HMGET', ub, 'state', 'active', 'cooldown', 'since', 'mode')
if fb[1] ~= 'waiting' or fb[2] ~= '1' or (ARGV[10] and fb[4] ~= ARGV[10]) or (fb[5] or '') ~= mode then return {-2} end
if tonumber(fa[3] or '0') > now or tonumber(fb[3] or '0') > now then return {-3} end

local last = redis.call('ZSCORE', base .. 'h:' .. a, b)
if last and tonumber(last) > now - window then return {-4} end
local ab = tonumber(redis.call('ZSCORE', base .. 'b:' .. a, b) or '0')
local ba = tonumber(redis.call('ZSCORE', base .. 'b:' .. b, a) or '0')
if ab > now or ba > now then return {-6} end

local lastA = redis.call('HGET', ua, 'lastroom') or ''
local lastB = redis.call('HGET', ub, 'lastroom') or ''
local function socket_of(u)
  local c = redis.call('HMGET', u, 'node', 'sid')
  return (c[1] and c[2]) and (c[1] .. '\n' .. c[2]) or ''
end
local socketA, socketB = socket_of(ua), socket_of(ub)
leave_pools(base, a, ua)
leave_pools(base, b, ub)
redis.call('HSET', ua, 'state', 'chatting', 'room', room, 'partner', b)
redis.call('HSET', ub, 'state', 'chatting', 'room', room, 'partner', a)
redis.call('HDEL', ua, 'cooldown')
redis.call('HDEL', ub, 'cooldown')
redis.call('SADD', base .. 'chatting', a, b)
redis.call('HSET', base .. 'r:' .. room, 'a', a, 'b', b, 'startedAt', now, 'common', common)
-- A video chat: `a` is its call's initiator; the mode turns to text when either side ends the call (end-call-1.lua).
if mode == 'video' then redis.call('HSET', base .. 'r:' .. room, 'mode', 'video') end

if window > 0 then
  for _, pair in ipairs({{a, b}, {b, a}}) do
    local h = base .. 'h:' .. pair[1]
    redis.call('ZADD', h, now, pair[2])
    redis.call('ZREMRANGEBYSCORE', h, '-inf', now - window)
    redis.call('PEXPIRE', h, window)
  end
end
return {1, lastA, lastB, socketA, socketB}
