--[[
  Opens a chat's relay record, once: after the pairing committed it under the
  matchmaking tag. A record that exists — open, or closed since — is left as
  it is, so a late open can never bring an ended chat back.

  KEYS[1]  chat record
  KEYS[2]  the chat's call notes
  ARGV[1]  a id
  ARGV[2]  b id
  ARGV[3]  started at, epoch ms
  ARGV[4]  idle ttl, ms
  ARGV[5]  a's live connection, "<node>\n<sid>" ('' when unknown)
  ARGV[6]  b's live connection, likewise
  ARGV[7]  the epoch of the chat's stream (its seq starts at 0 here)
  ARGV[8]  a video chat: the call's first note, JSON ("" for a text chat)

  Returns 1 when opened here, 0 when a record existed
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'open', 'a', ARGV[1], 'b', ARGV[2], 'startedAt', ARGV[3], 'epoch', ARGV[7])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 's:' .. ARGV[1], ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 's:' .. ARGV[2], ARGV[6]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
if ARGV[8] and ARGV[8] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[8])
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
end
return 1
