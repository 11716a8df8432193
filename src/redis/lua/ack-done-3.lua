--[[
  Marks an artifact handled for a group, acks its entry and forgets its failure count in one
  step (one round trip), so a crash can never leave an entry acked without its marker (lost
  dedupe) or marked but still pending.
  KEYS[1] stream  KEYS[2] done marker  KEYS[3] the group's failure counts
  ARGV[1] group  ARGV[2] entry id  ARGV[3] marker ttl ms
  Returns XACK's count.
]]
redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3])
redis.call('HDEL', KEYS[3], ARGV[2])
return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
