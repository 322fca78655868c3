--[[
  A chat's log with its epoch, read in one step.

  KEYS[1]  chat record
  KEYS[2]  chat log

  Returns {epoch ('' when no record), entry, entry, …} oldest first
]]
local entries = redis.call('LRANGE', KEYS[2], 0, -1)
table.insert(entries, 1, redis.call('HGET', KEYS[1], 'epoch') or '')
return entries
