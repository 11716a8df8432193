--[[
  Drops the first posted review-thread notes of a plan; the plan leaves the schedule only
  when none are left (one step, so a note pushed meanwhile keeps its plan scheduled).
  KEYS[1] the plan's notes  KEYS[2] plans by due time
  ARGV[1] how many were posted  ARGV[2] plan id
  Returns how many notes are left.
]]
redis.call('LTRIM', KEYS[1], tonumber(ARGV[1]), -1)
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], ARGV[2]) end
return redis.call('LLEN', KEYS[1])
