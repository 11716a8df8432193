--[[
  Marks an artifact handled for a group and acks its entry in one step, so a crash can
  never leave an entry acked without its marker (lost dedupe) or marked but still pending.
  KEYS[1] stream  KEYS[2] done marker
  ARGV[1] group  ARGV[2] entry id  ARGV[3] marker ttl ms
  Returns XACK's count.
]]
redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3])
return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
