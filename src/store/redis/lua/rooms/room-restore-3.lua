--[[
  Puts back a room that Redis lost, as PostgreSQL holds it: its facts (with
  the createdAt given, the epoch of its stream from now on), its seq where
  its archived messages end, and its pins. Nothing is logged: PostgreSQL has
  it already.

  KEYS[1]  the room's hash   KEYS[2]  seq counter   KEYS[3]  pins (hash: seq → pin JSON)
  ARGV[1..6]  code, title, topic ('' for none), visibility, createdAt, hostId ('' for none)
  ARGV[7]  empty-room ms (a room a user created expires unless joined)
  ARGV[8]  the last archived seq   ARGV[9]  how long the pins outlive a quiet room, ms
  ARGV[10..]  pins: seq, pin JSON, seq, pin JSON, ...

  Returns 1 when restored, 0 when the room exists (nothing changed).
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'code', ARGV[1], 'title', ARGV[2], 'topic', ARGV[3], 'visibility', ARGV[4],
  'createdAt', ARGV[5], 'hostId', ARGV[6], 'joins', 0)
if ARGV[6] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[7]) end
if tonumber(ARGV[8]) > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], ARGV[8]) end
for i = 10, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
if #ARGV >= 10 then redis.call('PEXPIRE', KEYS[3], ARGV[9]) end
return 1
