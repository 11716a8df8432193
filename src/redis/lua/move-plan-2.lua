--[[
  Compare-and-set of a plan's state: the state changes only if it is still the expected one,
  and the transition is appended to the history in the same step.
  KEYS[1] plan record  KEYS[2] plan history
  ARGV[1] expected state  ARGV[2] new state  ARGV[3] transition (JSON)  ARGV[4] updated at
  ARGV[5..] field, value, ... to merge into the record
  Returns the history's new length (the transition's 1-based sequence number), or the state
  the plan is in ('' when there is no record).
]]
local current = redis.call('HGET', KEYS[1], 'state')
if current ~= ARGV[1] then return current or '' end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'updatedAt', ARGV[4])
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return redis.call('RPUSH', KEYS[2], ARGV[3])
