--[[
  Compare-and-set of a plan's state: the state changes only if it is still the expected one,
  the transition is appended to the history, and the move is announced on the plan's channel
  (KEYS[1] .. ':changed', planChangedChannel in keys.ts), all in the same step: no crash can
  leave a move its watchers are not told of, and the move costs one round trip.
  KEYS[1] plan record  KEYS[2] plan history
  ARGV[1] expected state  ARGV[2] new state  ARGV[3] transition (JSON)  ARGV[4] updated at
  ARGV[5..] field, value, ... to merge into the record
  Returns the history's new length (the transition's 1-based sequence number), or the state
  the plan is in ('' when there is no record).
]]
local current = redis.call('HGET', KEYS[1], 'state')
if current ~= ARGV[1] then return current or '' end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'updatedAt', ARGV[4], unpack(ARGV, 5))
local seq = redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('PUBLISH', KEYS[1] .. ':changed', ARGV[2])
return seq
