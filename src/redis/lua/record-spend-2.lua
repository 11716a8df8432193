--[[
  Records a spend event once per (plan, kind): a redelivered apply or rollback does not count
  twice. Both keys share the `{finops}` hash tag, so the dedupe and the append are one step.
  KEYS[1] spend events (sorted by time)  KEYS[2] events seen
  ARGV[1] plan id:kind  ARGV[2] at (ms)  ARGV[3] event row (JSON)
  Returns 1 when recorded, 0 when this event was recorded already.
]]
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
return 1
