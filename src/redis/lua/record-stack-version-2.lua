--[[
  Records a version once per plan (idempotent on redelivery) and moves `current` to it; the
  record keeps the current version's row too, so every stack's current version is one read.
  KEYS[1] stack record  KEYS[2] stack versions
  ARGV[1] plan id  ARGV[2] version row (JSON with "version":0, replaced by the number)
  Returns { this plan's version, the current version, the current version's row }: a redelivery
  gets the same number and the stack as it stands now (what the crew-wide summary is written from).
]]
local existing = redis.call('HGET', KEYS[1], 'plan:' .. ARGV[1])
if existing then
  local current = redis.call('HGET', KEYS[1], 'current') or '0'
  local row = redis.call('HGET', KEYS[1], 'currentRow') or redis.call('HGET', KEYS[2], current) or ''
  return { tonumber(existing), tonumber(current), row }
end
local v = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local row = string.gsub(ARGV[2], '"version":0', '"version":' .. v, 1)
redis.call('HSET', KEYS[1], 'plan:' .. ARGV[1], v, 'current', v, 'currentPlan', ARGV[1], 'currentRow', row)
redis.call('HSET', KEYS[2], v, row)
return { v, v, row }
