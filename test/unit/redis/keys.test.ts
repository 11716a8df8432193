import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import * as keys from '../../../src/redis/keys.js';
import { DEAD_LETTER } from '../../../src/redis/lua-scripts.js';
import { runScript } from '../../../src/redis/run-script.js';

// The key layout is what a running Redis already holds: a change here strands existing data.

describe('key layout', () => {
  it('builds every key exactly as the crew has always stored it', () => {
    const p = 'crew';
    expect([
      keys.planKey(p, 'p-1'),
      keys.planHistoryKey(p, 'p-1'),
      keys.planAuditKey(p, 'p-1'),
      keys.planDecisionsKey(p, 'p-1'),
      keys.appliedMarkerKey(p, 'p-1'),
      keys.planIndexKey(p),
      keys.activePlansKey(p),
      keys.blockedCountKey(p, 'alice'),
      keys.stackIndexKey(p),
      keys.stackKey(p, 'dev'),
      keys.stackVersionsKey(p, 'dev'),
      keys.stackLockKey(p, 'dev'),
      keys.stackQueueKey(p, 'dev'),
      keys.accessPolicyKey(p),
      keys.streamKey(p, 'apply.request'),
      keys.deadLetterKey(p),
      keys.doneKey(p, 'apply.request', 'forge', 'a-1', 'p-1234'),
      keys.failuresKey(p, 'apply.request', 'forge'),
      keys.livenessKey(p, 'host-1-ab'),
      keys.spendEventsKey(p),
      keys.spendSeenKey(p),
      keys.digestLastKey(p),
      keys.spotPricesKey(p, 'us-east-1'),
      keys.heartbeatHead(p),
      keys.heartbeatKey(p, 'forge', 'pod-a:42'),
      keys.slackClaimKey(p, 'seen:T1:trig'),
    ]).toEqual([
      'crew:plan:{p-1}',
      'crew:plan:{p-1}:history',
      'crew:plan:{p-1}:audit',
      'crew:plan:{p-1}:decisions',
      'crew:plan:{p-1}:applied',
      'crew:{index}:plans',
      'crew:{index}:active',
      'crew:{index}:plans:blocked:alice',
      'crew:{index}:stacks',
      'crew:stack:{stack:dev}',
      'crew:stack:{stack:dev}:versions',
      'crew:stack:{stack:dev}:lock',
      'crew:stack:{stack:dev}:queue',
      'crew:{crew}:access-policy',
      'crew:{stream}:apply.request',
      'crew:{stream}:dead',
      'crew:{stream}:done:p-1234:apply.request:forge:a-1',
      'crew:{stream}:failures:apply.request:forge',
      'crew:{stream}:consumer:host-1-ab',
      'crew:finops:{finops}:spend',
      'crew:finops:{finops}:spend-seen',
      'crew:finops:{finops}:digest-last',
      'crew:spot:us-east-1',
      'crew:heartbeat:',
      'crew:heartbeat:forge:pod-a:42',
      'crew:slack:seen:T1:trig',
    ]);
  });
});

describe('runScript', () => {
  it('refuses a call with another number of keys than the script takes, before Redis sees it', async () => {
    const untouched = {} as Redis;
    await expect(runScript(untouched, DEAD_LETTER, ['only-one'], ['g', '1-0', 1000])).rejects.toThrow(
      'Lua script dead-letter takes 2 keys, got 1',
    );
  });
});
