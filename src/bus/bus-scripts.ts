import { defineScript } from './run-script.js';

/**
 * Marks an artifact handled for a group and acks its entry in one step, so a crash can
 * never leave an entry acked without its marker (lost dedupe) or marked but still pending.
 * KEYS: stream, done marker. ARGV: group, entry id, ttl ms.
 */
export const ACK_DONE = defineScript(`
redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3])
return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
`);

/**
 * Copies an entry to the dead-letter stream and acks it in one step. Returns false when the
 * entry is no longer pending (another consumer already settled it), so each entry is
 * dead-lettered once. The pending check comes first so a failed XADD acks nothing.
 * KEYS: stream, dead-letter stream. ARGV: group, entry id, maxlen, field, value, ...
 */
export const DEAD_LETTER = defineScript(`
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #pending == 0 then return false end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return id
`);

/**
 * Takes over the pending entries of a consumer whose liveness key is gone; deletes it when
 * it has none. The liveness check and the claim are one step, so two rescuers never split
 * or double-claim a dead consumer's entries, and a consumer that just came back keeps its own.
 * JUSTID leaves the delivery counter alone and IDLE keeps the entry's age, so the new owner's
 * retry pass (which counts deliveries) picks them up at once.
 * KEYS: stream, liveness key of the candidate. ARGV: group, candidate, new owner, count, claim (1|0).
 * Returns the claimed ids.
 */
export const REAP_CONSUMER = defineScript(`
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
`);
