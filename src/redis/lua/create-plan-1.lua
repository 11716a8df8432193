--[[
  Writes a new plan record whole, only if no record holds this id yet: a reader never sees
  a half-written plan, and an id is never created twice.
  KEYS[1] plan record
  ARGV field, value, ... (the whole record)
  Returns 1 when created, 0 when the id exists already.
]]
if redis.call('HEXISTS', KEYS[1], 'id') == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
