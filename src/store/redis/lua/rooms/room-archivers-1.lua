--[[
  Shares the room shards' logs among the live archivers: each archiver calls
  this every few seconds, which renews its own lease, keeps at most its fair
  share of the shards (giving up the rest, for an archiver that joined),
  and takes free shards (never held, given up, or held by an archiver whose
  lease ran out) up to that share. An archiver works only on the shards this
  returned, until its next call.

  KEYS[1]  the leases (hash: `a:<node>` → the archiver's lease end;
           `s:<shard>` → "<node>\n<lease end>")
  ARGV[1]  this archiver (node id)   ARGV[2]  now (ms)   ARGV[3]  lease ms
  ARGV[4]  shards   ARGV[5]  '1' to give every shard up and leave (a node stopping)

  Returns the shards (numbers) this archiver now holds.
]]
local me, now, lease, shards = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local leaving = ARGV[5] == '1'
local flat = redis.call('HGETALL', KEYS[1])
local live, holders, drop = {}, {}, {}
for i = 1, #flat, 2 do
  local field, value = flat[i], flat[i + 1]
  if string.sub(field, 1, 2) == 'a:' then
    if tonumber(value) > now then live[string.sub(field, 3)] = true else drop[#drop + 1] = field end
  else
    local cut = string.find(value, '\n', 1, true)
    holders[tonumber(string.sub(field, 3))] = { string.sub(value, 1, cut - 1), tonumber(string.sub(value, cut + 1)) }
  end
end
local set, held = {}, {}
if leaving then
  for shard, h in pairs(holders) do
    if h[1] == me then drop[#drop + 1] = 's:' .. shard end
  end
  drop[#drop + 1] = 'a:' .. me
else
  live[me] = true
  local count = 0
  for _ in pairs(live) do count = count + 1 end
  local share = math.ceil(shards / count)
  local ends = now + lease
  local value = me .. '\n' .. ends
  -- First the shards it holds, in order, up to its share; then free ones.
  for shard = 0, shards - 1 do
    local h = holders[shard]
    if h and h[1] == me then
      if #held < share then held[#held + 1] = shard else drop[#drop + 1] = 's:' .. shard end
    end
  end
  for shard = 0, shards - 1 do
    if #held >= share then break end
    local h = holders[shard]
    if not h or h[2] <= now or not live[h[1]] then held[#held + 1] = shard end
  end
  set[#set + 1] = 'a:' .. me
  set[#set + 1] = ends
  for _, shard in ipairs(held) do
    set[#set + 1] = 's:' .. shard
    set[#set + 1] = value
  end
end
if #drop > 0 then redis.call('HDEL', KEYS[1], unpack(drop)) end
if #set > 0 then redis.call('HSET', KEYS[1], unpack(set)) end
return held
