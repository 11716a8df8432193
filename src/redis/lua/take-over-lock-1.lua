--[[
  A takeover replaces exactly the holder it was judged on.
  KEYS[1] lock
  ARGV[1] holder judged gone  ARGV[2] new owner token  ARGV[3] ttl ms
  Returns 1 when taken over, else 0.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
