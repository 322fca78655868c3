--[[
  Removes one member of a room, if the mode's condition holds.

  KEYS[1]  room hash     KEYS[2]  members hash
  KEYS[3]  names hash    KEYS[4]  kicked hash
  KEYS[5]  seq counter
  KEYS[6]  the room's backstage link   KEYS[7]  its backstage invitations
  KEYS[8]  the link to the room a backstage stands beside
  ARGV[1]  mode:
    'leave'   ARGV[2] user id
    'kick'    ARGV[2] lower-cased name, ARGV[3] barred until (epoch ms)
    'expire'  ARGV[2] user id, ARGV[3] now: only while away with its grace over
    'sweep'   ARGV[2] user id, ARGV[3] dead node: only while connected through it
  ARGV[4]  empty-room ms (ROOM_EMPTY_TTL_HOURS): a room a user created expires
           this long after its last member left, unless someone joins it again

  Returns {} when nobody was removed, else {member, every remaining member...} (JSON).
]]
local members, names, kicked = KEYS[2], KEYS[3], KEYS[4]
local mode = ARGV[1]
local uid = ARGV[2]
if mode == 'kick' then
  uid = redis.call('HGET', names, ARGV[2])
  if not uid then return {} end
end
local raw = redis.call('HGET', members, uid)
if not raw then return {} end
local member = cjson.decode(raw)
if mode == 'expire' then
  local away = tonumber(member.awayUntil)
  if away == 0 or away > tonumber(ARGV[3]) then return {} end
elseif mode == 'sweep' then
  if member.node ~= ARGV[3] then return {} end
elseif mode == 'kick' then
  redis.call('HSET', kicked, uid, ARGV[3])
end
redis.call('HDEL', members, uid)
redis.call('HDEL', names, member.key)
if redis.call('HLEN', members) == 0 and (redis.call('HGET', KEYS[1], 'hostId') or '') ~= '' then
  for _, key in ipairs({KEYS[1], KEYS[5], kicked, KEYS[6], KEYS[7], KEYS[8]}) do redis.call('PEXPIRE', key, ARGV[4]) end
end
local out = {raw}
for _, m in ipairs(redis.call('HVALS', members)) do out[#out + 1] = m end
return out
