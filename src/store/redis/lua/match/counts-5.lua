--[[
  The cluster's figures at one moment. Every waiting user, and every chatting
  user not away, is in the online set (see includes/chat.lua), so
  waiting + chatting <= online holds in every answer; the video searches are
  a subset of the waiting ones (includes/pools.lua keeps both).

  KEYS[1]  online set
  KEYS[2]  waiting sorted set
  KEYS[3]  chatting set
  KEYS[4]  away sorted set
  KEYS[5]  set of the video searches

  Returns {online, waiting, chatting (connected), away, waitingVideo}
]]
local away = redis.call('ZCARD', KEYS[4])
local chatting = math.max(0, redis.call('SCARD', KEYS[3]) - away)
return {redis.call('SCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), chatting, away, redis.call('SCARD', KEYS[5])}
