--[[
  The holder extends its lease; a lapsed key is taken back (the caller knows its plan still
  holds the stack). Only the holder may extend: another owner's lock is left alone.
  KEYS[1] lock
  ARGV[1] owner token  ARGV[2] ttl ms
  Returns 1 when the caller holds the lock now, else 0.
]]
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
