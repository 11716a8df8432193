--[[
  Takes over the pending entries of a consumer whose liveness key is gone; deletes it when
  it has none. The liveness check and the claim are one step, so two rescuers never split
  or double-claim a dead consumer's entries, and a consumer that just came back keeps its own.
  JUSTID leaves the delivery counter alone and IDLE keeps the entry's age, so the new owner's
  retry pass (which counts deliveries) picks them up at once.
  KEYS[1] stream  KEYS[2] liveness key of the candidate
  ARGV[1] group  ARGV[2] candidate  ARGV[3] new owner  ARGV[4] count  ARGV[5] claim (1|0)
  Returns the claimed ids.
]]
if redis.call('EXISTS', KEYS[2]) == 1 then return {} end
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', tonumber(ARGV[4]), ARGV[2])
if #pending == 0 then
  redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
  return {}
end
if ARGV[5] ~= '1' then return {} end
local claimed = {}
for _, p in ipairs(pending) do
  local got = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, p[1], 'IDLE', p[3], 'JUSTID')
  for _, id in ipairs(got) do claimed[#claimed + 1] = id end
end
return claimed
