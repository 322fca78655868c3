--[[
  Stores a member's message under the room's next seq: one order for every
  member on every node. The recent window keeps the last `cap` messages, none
  sent before the retention cutoff, and expires with the retention when the
  room stays quiet. In
  the same step the message goes to the room's log (for the archiver) and to
  the room's feed channel, so every node receives the room's messages in seq
  order and none is stored without being logged.

  KEYS[1]  members hash   KEYS[2]  seq counter   KEYS[3]  messages (sorted set, score = seq)
  KEYS[4]  log (stream)    KEYS[5]  this send's client id record (string; '' id: unused)
  KEYS[6]  the room's hash (its createdAt is the epoch of the room's stream, kept with each message as `e`)
  KEYS[7]  the sender's room-message budget in this room (counter)
  ARGV[1]  user id   ARGV[2]  message id   ARGV[3]  text   ARGV[4]  sentAt
  ARGV[5]  replyTo seq ('' for none)       ARGV[6]  cap
  ARGV[7]  room code   ARGV[8]  '1' to log the message   ARGV[9]  feed channel ('' for none)
  ARGV[10] retention ms: messages sent before sentAt - retention leave the window
  ARGV[11] '1' to announce with SPUBLISH (sharded pub/sub, Redis Cluster), else PUBLISH
  ARGV[12] how long the client id record is kept, ms (0: the send has no client id)
  ARGV[13] 'system': a message of the room itself (no member; ARGV[1] is ''), else ''
  ARGV[14] JSON array of the names the text mentions ('' for none), kept as `mn`
  ARGV[15] budget: points per window (0: no budget, as for the room's own messages)
  ARGV[16] budget: window, ms

  A point of the sender's budget is spent first, whatever the send comes to
  (as the dispatcher spent it before): over the budget nothing else is read.

  The window's upkeep is paid only when due, with its times in the room's
  hash (read with the room's other fields, so free): `trimAt`, when the
  oldest kept message passes the retention (the window is read for expired
  messages only from then on; the oldest only gets newer, so the time is
  never late), and `keepUntil`, how long the window's expiry holds (renewed
  to the retention plus a sixteenth once less than the retention is left).
  The cap is kept by seq: past it, the seqs older than the last `cap` go.

  A muted member (its `mu`, muted until) is refused; so is a plain member
  sending within the room's `slowModeS` of its last message (its `ls`, kept
  in its record only while slow mode is on). Host messages are marked `k = 'h'`,
  the room's own `k = 's'`.

  Returns {'limited', retry after ms} over the budget; false when the user
  is not a member (or, for 'system', there is no room); {'muted', until} or
  {'slow', retry after ms} for a refusal; else
  {seq, message JSON}, with a third element 1 when the client id was used
  already (nothing stored: the earlier message).
]]
local system = ARGV[13] == 'system'
local now = tonumber(ARGV[4])
local points = tonumber(ARGV[15])
if points > 0 then
  local spent = redis.call('INCR', KEYS[7])
  if spent == 1 then redis.call('PEXPIRE', KEYS[7], ARGV[16]) end
  if spent > points then return {'limited', redis.call('PTTL', KEYS[7])} end
end
local room = redis.call('HMGET', KEYS[6], 'createdAt', 'slowModeS', 'trimAt', 'keepUntil')
local member
if system then
  if not room[1] then return false end
  member = { name = '' }
else
  local raw = redis.call('HGET', KEYS[1], ARGV[1])
  if not raw then return false end
  member = cjson.decode(raw)
end
local window = tonumber(ARGV[12])
if window > 0 then
  local earlier = redis.call('GET', KEYS[5])
  if earlier then
    local cut = string.find(earlier, '\n', 1, true)
    return {tonumber(string.sub(earlier, 1, cut - 1)), string.sub(earlier, cut + 1), 1}
  end
end
if not system then
  local mutedUntil = tonumber(member.mu or '0')
  if mutedUntil > now then return {'muted', mutedUntil} end
  local slow = tonumber(room[2] or '0') * 1000
  if slow > 0 and member.host ~= true and member.role ~= 'cohost' then
    local wait = tonumber(member.ls or '0') + slow - now
    if wait > 0 then return {'slow', wait} end
    member.ls = ARGV[4]
    redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(member))
  end
end
local seq = redis.call('INCR', KEYS[2])
local message = { id = ARGV[2], from = ARGV[1], name = member.name, text = ARGV[3], sentAt = ARGV[4], e = room[1] or '' }
if system then message.k = 's' elseif member.host == true then message.k = 'h' end
if ARGV[5] ~= '' then message.replyTo = ARGV[5] end
if ARGV[14] ~= '' then message.mn = cjson.decode(ARGV[14]) end
local encoded = cjson.encode(message)
redis.call('ZADD', KEYS[3], seq, encoded)
local cap = tonumber(ARGV[6])
if seq > cap then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', seq - cap) end
local retention = tonumber(ARGV[10])
local upkeep = {}
if now >= tonumber(room[3] or '0') then
  local sent
  for _ = 1, 100 do
    local oldest = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
    sent = oldest and tonumber(cjson.decode(oldest).sentAt)
    if not sent or sent >= now - retention then break end
    redis.call('ZREMRANGEBYRANK', KEYS[3], 0, 0)
  end
  upkeep[#upkeep + 1] = 'trimAt'
  upkeep[#upkeep + 1] = (sent or now) + retention
end
if tonumber(room[4] or '0') - now < retention then
  local keep = retention + math.floor(retention / 16)
  redis.call('PEXPIRE', KEYS[3], keep)
  upkeep[#upkeep + 1] = 'keepUntil'
  upkeep[#upkeep + 1] = now + keep
end
-- Only a room that exists keeps the times (a HSET would otherwise make its hash).
if #upkeep > 0 and room[1] then redis.call('HSET', KEYS[6], unpack(upkeep)) end
if ARGV[8] == '1' then redis.call('XADD', KEYS[4], '*', 'k', 'message', 'c', ARGV[7], 's', seq, 'm', encoded) end
if ARGV[9] ~= '' then
  redis.call(ARGV[11] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[9], 'm' .. seq .. '\n' .. encoded)
end
if window > 0 then redis.call('SET', KEYS[5], seq .. '\n' .. encoded, 'PX', window) end
return {seq, encoded}
