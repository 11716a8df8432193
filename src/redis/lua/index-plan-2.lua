--[[
  Lists a new plan among the recent plans and the plans that have not ended, in one step.
  KEYS[1] plan index (by creation time)  KEYS[2] active plans
  ARGV[1] created at (ms)  ARGV[2] plan id
]]
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[2])
return 1
