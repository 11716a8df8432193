--[[
  Appends once: a redelivered PlanSpec must not queue the same plan twice.
  KEYS[1] stack queue
  ARGV[1] plan id
  Returns the plan's position (0 = next).
]]
if redis.call('LPOS', KEYS[1], ARGV[1]) then return redis.call('LPOS', KEYS[1], ARGV[1]) end
redis.call('RPUSH', KEYS[1], ARGV[1])
return redis.call('LLEN', KEYS[1]) - 1
