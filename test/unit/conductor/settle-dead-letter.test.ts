import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../../src/bus/dead-letter.js';
import { settleDeadLetter, type SettleDeadLetterOptions } from '../../../src/conductor/settle-dead-letter.js';
import { createLogger } from '../../../src/log/create-logger.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';

const LETTER: DeadLetter = {
  topic: 'apply.result',
  group: 'conductor',
  entryId: '1-0',
  planId: 'p-1',
  reason: 'boom',
  deliveries: 5,
  raw: '{}',
};

function rig(state: string | undefined, fail?: Error) {
  const calls: string[] = [];
  const sink = new PassThrough();
  let log = '';
  sink.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const o: SettleDeadLetterOptions = {
    plans: { get: async () => (state ? ({ id: 'p-1', state } as PlanRecord) : undefined) },
    conductor: {
      advance: async (id, event, by, reason) => {
        calls.push(`advance ${id} ${event} ${by} ${reason}`);
        if (fail) throw fail;
        return { status: 'missing' };
      },
      startRollback: async (plan, event, by, reason) => {
        calls.push(`rollback ${plan.id} ${event} ${by} ${reason}`);
        if (fail) throw fail;
        return { status: 'missing' };
      },
    },
    logger: createLogger({ destination: sink, level: 'debug' }),
  };
  return { o, calls, log: () => (o.logger.flush(), new Promise<string>((r) => setImmediate(() => r(log)))) };
}

describe('settleDeadLetter (the Conductor’s policy for dead letters)', () => {
  it('fails the plan with the reason, and rolls back a plan caught mid-apply', async () => {
    const failing = rig('VALIDATING');
    await settleDeadLetter(LETTER, failing.o);
    expect(failing.calls).toEqual(['advance p-1 DEAD_LETTER bus dead letter on apply.result/conductor: boom']);
    const applying = rig('APPLYING');
    await settleDeadLetter(LETTER, applying.o);
    expect(applying.calls).toEqual(['rollback p-1 APPLY_FAILED bus dead letter on apply.result/conductor: boom']);
  });

  it('logs a plan it could not move instead of swallowing the failure', async () => {
    const r = rig('APPLYING', new Error('redis went away'));
    await settleDeadLetter(LETTER, r.o);
    const log = await r.log();
    expect(log).toContain('artifact dead-lettered');
    expect(log).toContain('plan not settled after a dead letter');
    expect(log).toContain('redis went away');
  });

  it('only logs a letter that names no plan', async () => {
    const r = rig('VALIDATING');
    await settleDeadLetter({ ...LETTER, planId: undefined } as DeadLetter, r.o);
    expect(r.calls).toEqual([]);
  });
});
