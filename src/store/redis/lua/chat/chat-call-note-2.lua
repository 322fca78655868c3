--[[
  Notes one line of a call's metadata (never signalling) in a live chat's
  call notes, beside its log and kept like it (chat-close-5.lua).

  KEYS[1]  chat record
  KEYS[2]  the chat's call notes (list of JSON)
  ARGV[1]  the note, JSON
  ARGV[2]  notes kept at most (the oldest go)
  ARGV[3]  idle ttl, ms (as the log's)

  Returns 1 noted, 0 the chat is not open here
]]
if redis.call('HGET', KEYS[1], 'state') ~= 'open' then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
return 1
