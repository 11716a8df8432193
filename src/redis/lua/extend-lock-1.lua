--[[
  The holder extends its lease; nothing else. Only the holder may extend, and a lapsed key is
  not taken back here: the caller reads its plan again first (the plan may have ended, and
  released the stack, since the caller last read it).
  KEYS[1] lock
  ARGV[1] owner token  ARGV[2] ttl ms
  Returns 1 when extended, 2 when the key has lapsed, 0 when another owner holds it.
]]
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder == false then return 2 end
return 0
