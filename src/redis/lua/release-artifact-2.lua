--[[
  One plan lets go of an artifact; the bytes leave with the last plan that refers to them.
  Both keys share the artifact's hash tag ({sha256}), so a put that adds a reference and a
  release that removes the last one never interleave.
  KEYS[1] the artifact's referring plans  KEYS[2] the artifact's bytes
  ARGV[1] plan id
  Returns 1 when the bytes were removed, else 0 (another plan still refers to them).
]]
redis.call('SREM', KEYS[1], ARGV[1])
if redis.call('SCARD', KEYS[1]) > 0 then return 0 end
redis.call('UNLINK', KEYS[1], KEYS[2])
return 1
