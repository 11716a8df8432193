--[[
  SET NX PX, or refresh if the caller holds the lock already. Never GET-then-SET: one atomic step.
  KEYS[1] lock
  ARGV[1] owner token  ARGV[2] ttl ms
  Returns '' when the key was free, '=' when the caller held it already, else the holder.
]]
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ''
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return '='
end
return holder
