--[[
  Pins a live message of the recent window (ChatPop's pinned messages, with
  an end of their own), unless the room holds `max` pins in force already;
  pinning a pinned message again sets its new end. Pins whose end passed
  leave in the same step. The pin is logged and announced with every pin.

  KEYS[1]  messages (sorted set, score = seq)   KEYS[2]  pins (hash: seq → pin JSON)   KEYS[3]  log (stream)
  ARGV[1]  seq   ARGV[2]  until (epoch ms; 0: until unpinned)   ARGV[3]  pinnedAt   ARGV[4]  by (room name)
  ARGV[5]  max pins   ARGV[6]  now (epoch ms)   ARGV[7]  room code   ARGV[8]  '1' to log
  ARGV[9]  feed channel ('' for none)   ARGV[10] '1' to announce with SPUBLISH, else PUBLISH
  ARGV[11] how long the pins outlive a quiet room, ms (the retention)

  Returns -1 when there is no such live message, -2 when the room holds `max`
  pins, else the pins as a JSON array (`u` is the end, 0 for none).
]]
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then return -1 end
local message = cjson.decode(found[1])
if message.deleted then return -1 end
local now = tonumber(ARGV[6])
local others = 0
local kept = {}
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
  local ends = tonumber(cjson.decode(entries[i + 1]).u)
  if ends > 0 and ends <= now then
    redis.call('HDEL', KEYS[2], entries[i])
  elseif entries[i] ~= ARGV[1] then
    others = others + 1
    kept[#kept + 1] = entries[i + 1]
  end
end
if others >= tonumber(ARGV[5]) then return -2 end
local pin = cjson.encode({ seq = tonumber(ARGV[1]), u = tonumber(ARGV[2]), at = tonumber(ARGV[3]), by = ARGV[4],
  name = message.name, text = message.text })
redis.call('HSET', KEYS[2], ARGV[1], pin)
redis.call('PEXPIRE', KEYS[2], ARGV[11])
kept[#kept + 1] = pin
local list = '[' .. table.concat(kept, ',') .. ']'
if ARGV[8] == '1' then redis.call('XADD', KEYS[3], '*', 'k', 'pin', 'c', ARGV[7], 'p', pin) end
if ARGV[9] ~= '' then redis.call(ARGV[10] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[9], 'p' .. list) end
return list
