import type { Redis } from 'ioredis';
import { streamStats } from '../../src/bus/stream-stats.js';
import { deadLetterKey } from '../../src/redis/keys.js';
import type { CrewRuntime } from '../../src/runtime/start-crew.js';
import { sleep } from '../support/wait-for.js';
import type { PlanFacts } from './check-plan.js';
import type { TrackedPlan } from './plan-driver.js';
import { specAddresses } from './spec-addresses.js';

/** Terraform's view of a stack once the run is over: the resource addresses its state holds. */
export type StateAddresses = (stack: string) => Promise<string[]>;

async function factsOf(c: CrewRuntime, p: TrackedPlan, addressesOf: StateAddresses): Promise<PlanFacts> {
  const record = p.id ? await c.plans.get(p.id) : undefined;
  const versions: string[] = [];
  for (let v = 1; ; v++) {
    const row = await c.stacks.version(p.stack, v);
    if (!row) break;
    versions.push(row.planId);
  }
  return {
    id: p.id ?? '(never submitted)',
    stack: p.stack,
    expected: p.expected,
    state: record?.state ?? 'MISSING',
    history: p.id ? await c.plans.history(p.id) : [],
    currentVersion: await c.stacks.currentVersion(p.stack),
    versions,
    addresses: await addressesOf(p.stack),
    specAddresses: specAddresses(record?.spec),
  };
}

/** In small batches: reading a stack's state is a process each. */
export async function collectFacts(
  c: CrewRuntime,
  plans: TrackedPlan[],
  addressesOf: StateAddresses,
): Promise<PlanFacts[]> {
  const out: PlanFacts[] = [];
  for (let i = 0; i < plans.length; i += 4)
    out.push(...(await Promise.all(plans.slice(i, i + 4).map((p) => factsOf(c, p, addressesOf)))));
  return out;
}

/** Consumer groups still holding work after `timeoutMs` (none when the bus drained). */
export async function waitForQuietBus(redis: Redis, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = (await streamStats(redis, 'crew')).flatMap((s) =>
      s.groups
        .filter((g) => g.pending > 0 || (g.lag ?? 0) > 0)
        .map((g) => `${s.topic}/${g.name}: ${g.pending} pending, lag ${g.lag}`),
    );
    if (busy.length === 0 || Date.now() > deadline) return busy;
    await sleep(500);
  }
}

/** Every dead letter, one line each. */
export async function deadLetters(redis: Redis): Promise<string[]> {
  const rows = await redis.xrange(deadLetterKey('crew'), '-', '+');
  return rows.map(([id, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    return `${id} ${f.topic}/${f.group} plan ${f.planId ?? '?'} after ${f.deliveries} deliveries: ${f.reason}`;
  });
}
