--[[
  Enters a room, or picks up (and maybe renames) an existing membership.
  Members are JSON in a hash by user id; `names` maps each lower-cased name
  to its user, so names are unique case-insensitively. A new member takes its
  co-host role (`role:<uid>`) and mute (`mute:<uid>`) from the room's hash,
  where they outlive leaving.

  KEYS[1]  room hash          KEYS[2]  members hash
  KEYS[3]  names hash         KEYS[4]  kicked hash (user id -> barred until)
  KEYS[5]  seq counter (an empty room's keys expire; a join keeps them)
  KEYS[6]  the room's backstage link   KEYS[7]  its backstage invitations
  KEYS[8]  the link to the room a backstage stands beside (they expire and are kept with the room)
  ARGV[1]  user id            ARGV[2]  name            ARGV[3]  lower-cased name
  ARGV[4]  '1': an existing member keeps its name
  ARGV[5]  socket id          ARGV[6]  node            ARGV[7]  now (epoch ms)
  ARGV[8]  most members

  Returns {kind} for a refusal ('not-found', 'kicked', 'full', 'name-taken'),
  else {'joined' | 'rejoined', member, every member...} (members as JSON).
]]
local room, members, names, kicked = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local uid, name, key, keep = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('EXISTS', room) == 0 then return {'not-found'} end

local function taken()
  local holder = redis.call('HGET', names, key)
  return holder and holder ~= uid
end

local kind, member
local raw = redis.call('HGET', members, uid)
if raw then
  member = cjson.decode(raw)
  if keep ~= '1' and member.name ~= name then
    if taken() then return {'name-taken'} end
    redis.call('HDEL', names, member.key)
    redis.call('HSET', names, key, uid)
    member.name, member.key = name, key
  end
  kind = 'rejoined'
else
  local barred = tonumber(redis.call('HGET', kicked, uid) or '0')
  if barred > tonumber(ARGV[7]) then return {'kicked'} end
  if barred > 0 then redis.call('HDEL', kicked, uid) end
  if redis.call('HLEN', members) >= tonumber(ARGV[8]) then return {'full'} end
  if taken() then return {'name-taken'} end
  redis.call('HSET', names, key, uid)
  member = {
    userId = uid, name = name, key = key, joinedAt = ARGV[7],
    host = redis.call('HGET', room, 'hostId') == uid,
    n = redis.call('HINCRBY', room, 'joins', 1),
    role = redis.call('HGET', room, 'role:' .. uid) or nil,
    mu = redis.call('HGET', room, 'mute:' .. uid) or nil,
  }
  kind = 'joined'
  redis.call('PERSIST', room)
  for _, key in ipairs({KEYS[5], kicked, KEYS[6], KEYS[7], KEYS[8]}) do redis.call('PERSIST', key) end
end
member.sid, member.node, member.awayUntil = ARGV[5], ARGV[6], '0'
local encoded = cjson.encode(member)
redis.call('HSET', members, uid, encoded)
local out = {kind, encoded}
for _, m in ipairs(redis.call('HVALS', members)) do out[#out + 1] = m end
return out
