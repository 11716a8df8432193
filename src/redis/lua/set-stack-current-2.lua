--[[
  Points a stack back at an earlier version (a rollback), with that version's row beside it
  in the record (none for version 0, a stack never applied or destroyed).
  KEYS[1] stack record  KEYS[2] stack versions
  ARGV[1] version  ARGV[2] plan id
  Returns that version's row ('' when there is none).
]]
local row = redis.call('HGET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'current', ARGV[1], 'currentPlan', ARGV[2])
if row then
  redis.call('HSET', KEYS[1], 'currentRow', row)
else
  redis.call('HDEL', KEYS[1], 'currentRow')
end
return row or ''
