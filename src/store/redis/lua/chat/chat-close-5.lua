--[[
  Closes a chat's relay record after the chat ended under the matchmaking
  tag: no message is relayed in it any more. The record stays as a tombstone
  for a while, so a late open cannot reopen it. The log and the call notes are
  kept as report evidence for ARGV[1] ms, or deleted at once. Closing twice changes nothing.

  KEYS[1]  chat record
  KEYS[2]  chat log
  KEYS[3]  the chat's sends by client id (deleted: only a live chat takes sends)
  KEYS[4]  their previous generation (deleted likewise)
  KEYS[5]  the chat's call notes (kept like the log)
  ARGV[1]  how long the log stays as report evidence, ms (0: deleted at once)
  ARGV[2]  how long the tombstone stays, ms

  Returns 1 when closed here, 0 when it was closed already or never opened
]]
local chat, log = KEYS[1], KEYS[2]
redis.call('DEL', KEYS[3], KEYS[4])
local state = redis.call('HGET', chat, 'state')
redis.call('HSET', chat, 'state', 'closed')
redis.call('PEXPIRE', chat, tonumber(ARGV[2]))
if state ~= 'open' then return 0 end
local evidence = tonumber(ARGV[1])
if evidence > 0 then
  redis.call('PEXPIRE', log, evidence)
  redis.call('PEXPIRE', KEYS[5], evidence)
else
  redis.call('DEL', log, KEYS[5])
end
return 1
