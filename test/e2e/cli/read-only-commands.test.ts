import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '../../../src/bus/topics.js';
import { streamKey } from '../../../src/redis/keys.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';

let t: CrewEnv;
let redis: Redis;
beforeAll(async () => {
  t = await makeCrewEnv();
  redis = t.redis.client();
  // A group already waits on every stream, as a running crew's would: a command that joined
  // the crew would show up among its consumers, or as a group of its own.
  for (const topic of TOPICS) await redis.xgroup('CREATE', streamKey('crew', topic), 'probe', '0', 'MKSTREAM');
});
afterAll(async () => t.close());

/** Every command Redis received while `run` ran (MONITOR), upper-cased names first. */
async function commandsDuring(run: () => Promise<void>): Promise<string[][]> {
  const watcher = redis.duplicate();
  const monitor = await watcher.monitor();
  const seen: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[]) => seen.push([args[0]!.toUpperCase(), ...args.slice(1)]));
  try {
    await run();
  } finally {
    monitor.disconnect();
    watcher.disconnect();
  }
  return seen;
}

async function groupsAndConsumers(): Promise<Array<[string, string, number]>> {
  const rows: Array<[string, string, number]> = [];
  for (const topic of TOPICS) {
    const key = streamKey('crew', topic);
    const groups = (await redis.call('XINFO', 'GROUPS', key)) as unknown[][];
    for (const g of groups) {
      const name = String(g[1]);
      const consumers = (await redis.call('XINFO', 'CONSUMERS', key, name)) as unknown[];
      rows.push([topic, name, consumers.length]);
    }
  }
  return rows;
}

describe('read-only commands start no agents', () => {
  it('crew status --json, history and parse join no consumer group and write nothing', async () => {
    const keysBefore = (await redis.keys('*')).sort();
    const commands = await commandsDuring(async () => {
      const status = await t.crew(['status', '--json']);
      expect(status.code, status.stderr).toBe(0);
      expect(jsonOf<unknown[]>(status)).toEqual([]);
      const history = await t.crew(['history', 'p-nosuchplan']);
      expect(history.code).toBe(1);
      expect(history.stderr).toContain('no plan with id p-nosuchplan');
      const parsed = await t.crew(['parse', 'private Ollama on spot g4dn.xlarge, budget $300/month', '--json']);
      expect(parsed.code, parsed.stderr).toBe(0);
    });

    expect(await groupsAndConsumers()).toEqual(TOPICS.map((topic) => [topic, 'probe', 0]));
    expect((await redis.keys('*')).sort()).toEqual(keysBefore);
    const joining = ['XGROUP', 'XREADGROUP', 'XCLAIM', 'XAUTOCLAIM', 'XADD', 'SET', 'HSET', 'EVALSHA', 'EVAL'];
    expect(commands.filter(([name]) => joining.includes(name!))).toEqual([]);
    expect(commands.length).toBeGreaterThan(0);
  });
});
