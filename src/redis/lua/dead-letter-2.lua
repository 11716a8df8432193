--[[
  Copies an entry to the dead-letter stream and acks it in one step. Returns false when the
  entry is no longer pending (another consumer already settled it), so each entry is
  dead-lettered once. The pending check comes first so a failed XADD acks nothing.
  KEYS[1] stream  KEYS[2] dead-letter stream
  ARGV[1] group  ARGV[2] entry id  ARGV[3] maxlen  ARGV[4..] field, value, ...
  Returns the dead-letter entry id, or false.
]]
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #pending == 0 then return false end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return id
