import { randomBytes } from 'node:crypto';
import {
  AutoScalingClient,
  CancelInstanceRefreshCommand,
  CreateAutoScalingGroupCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepRollouts, type FollowRolloutsOptions } from '../../../../src/agents/forge/follow-rollouts.js';
import { RedisBus } from '../../../../src/bus/redis-bus.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import { streamKey } from '../../../../src/redis/keys.js';
import { RolloutWatchStore, type RolloutWatch } from '../../../../src/store/rollout-watch-store.js';
import { startAwsEndpoint, type AwsEndpoint } from '../../../support/aws-endpoint/start-aws-endpoint.js';
import { endpointClientConfig } from '../../../support/aws-target.js';
import { useTestRedis } from '../../../support/redis-server.js';

// The crew follows the instance refresh an apply on AWS started (for minutes after the apply
// ended) and tells the plan's thread when it ends: one OpsEvent per refresh, `rollout` when it
// succeeded, an `escalation` when not. AWS here is the local endpoint, read through the SDK.

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

// One clock for the endpoint (a refresh's start and end) and the sweep.
let clock = new Date('2026-12-02T12:00:00Z');
const now = () => clock;
const later = (min: number) => (clock = new Date(clock.getTime() + min * 60_000));

let aws: AwsEndpoint;
let asg: AutoScalingClient;
beforeAll(async () => {
  aws = await startAwsEndpoint({ region: 'us-east-1', now });
  asg = new AutoScalingClient(endpointClientConfig(aws));
});
afterAll(async () => {
  asg?.destroy();
  await aws?.stop();
});

/** A group of 2 on the endpoint, and a watch of the apply that began now. */
async function applied(group: string): Promise<RolloutWatch> {
  await asg.send(
    new CreateAutoScalingGroupCommand({ AutoScalingGroupName: group, MinSize: 0, MaxSize: 2, DesiredCapacity: 2 }),
  );
  return {
    planId: `p-${group}`,
    stack: group.replace(/-ollama$/, ''),
    group,
    region: 'us-east-1',
    since: clock.toISOString(),
  };
}

function rig() {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const logger = createLogger({ level: 'silent' });
  const bus = new RedisBus({ redis, logger, prefix });
  const watches = new RolloutWatchStore({ redis, prefix });
  const o: FollowRolloutsOptions = { watches, bus, client: () => asg, logger, now };
  const events = async () =>
    (await redis.xrange(streamKey(prefix, 'ops.event'), '-', '+')).map(
      ([, f]) =>
        JSON.parse(f[1]!) as { id: string; planId: string; payload: { kind: string; stack: string; detail: string } },
    );
  return { bus, watches, o, events };
}

const refresh = (group: string) =>
  asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: group, Strategy: 'Rolling' }));

/** An apply of `group` watched, its refresh started and held in progress until the test ends it. */
async function underway(watches: RolloutWatchStore, group: string): Promise<RolloutWatch> {
  const w = await applied(group);
  await watches.add(w);
  aws.holdRefreshes(true);
  await refresh(w.group);
  return w;
}

describe("following an apply's instance refresh", () => {
  it('says nothing while it runs, tells the thread once when it succeeds, and stops following', async () => {
    const { bus, watches, o, events } = rig();
    const w = await applied('ok-ollama');
    await watches.add(w);
    aws.holdRefreshes(true);
    later(1);
    const started = await refresh(w.group);
    later(4);
    expect(await sweepRollouts(o)).toBe(0);
    expect(await watches.list()).toEqual([w]);
    expect(await events()).toEqual([]);

    later(3);
    aws.finishRefreshes();
    aws.holdRefreshes(false);
    expect(await sweepRollouts(o)).toBe(1);
    const [e] = await events();
    expect(e).toMatchObject({
      planId: w.planId,
      payload: {
        kind: 'rollout',
        stack: 'ok',
        detail: `AWS replaced the running instances of ok-ollama: instance refresh ${started.InstanceRefreshId} Successful, 7 min`,
      },
    });
    expect(await watches.list()).toEqual([]);
    // A second process sweeping the same watch publishes the same artifact (its id derives from the refresh).
    await watches.add(w);
    expect(await sweepRollouts(o)).toBe(1);
    const ids = (await events()).map((x) => x.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
    await bus.close();
  });

  it('escalates a refresh that was cancelled, with the command that shows the group', async () => {
    const { bus, watches, o, events } = rig();
    const w = await underway(watches, 'cut-ollama');
    await asg.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: w.group }));
    aws.holdRefreshes(false);
    expect(await sweepRollouts(o)).toBe(1);
    const [e] = await events();
    expect(e?.payload.kind).toBe('escalation');
    expect(e?.payload.detail).toMatch(
      /^instance refresh \S+ of cut-ollama ended Cancelled: the group may run old and new instances side by side; `crew rollout cut` shows it$/,
    );
    await bus.close();
  });

  it("escalates a failed refresh with AWS's reason as inert text: a planted payload recolours no terminal and pings no one", async () => {
    const { bus, watches, o, events } = rig();
    await underway(watches, 'bad-ollama');
    aws.failRefreshes('health checks failed \u001b[31m<!channel>\u202e `rm -rf /`\n' + 'x'.repeat(500));
    aws.holdRefreshes(false);
    expect(await sweepRollouts(o)).toBe(1);
    const [e] = await events();
    expect(e?.payload.kind).toBe('escalation');
    const detail = e?.payload.detail ?? '';
    expect(detail).toContain('ended Failed (health checks failed \\u001b[31m<!channel>\\u202e `rm -rf /`\\u000a');
    expect(detail).not.toMatch(/[\u0000-\u001f\u202e]/);
    // AWS's reason is cut to 300 characters, the rest of the line after it.
    expect(detail).toMatch(/x…\): the group may run old and new instances side by side/);
    await bus.close();
  });

  it('leaves alone a refresh older than the apply, and stops following an apply that started none', async () => {
    const { bus, watches, o, events } = rig();
    const w0 = await applied('old-ollama');
    await refresh(w0.group);
    // The apply begins 10 minutes after that refresh: it changed only the size, so AWS started none.
    later(10);
    const w = { ...w0, since: clock.toISOString() };
    await watches.add(w);
    expect(await sweepRollouts(o)).toBe(0);
    expect(await watches.list()).toEqual([w]);
    later(11);
    expect(await sweepRollouts(o)).toBe(0);
    expect(await watches.list()).toEqual([]);
    expect(await events()).toEqual([]);
    await bus.close();
  });

  it('keeps a watch AWS cannot answer for until it gives up, and a rollback replaces the apply it undid', async () => {
    const { bus, watches, o, events } = rig();
    const gone: RolloutWatch = {
      planId: 'p-gone',
      stack: 'gone',
      group: 'gone-ollama',
      region: 'us-east-1',
      since: clock.toISOString(),
    };
    await watches.add(gone);
    expect(await sweepRollouts(o)).toBe(0);
    expect(await watches.list()).toEqual([gone]);
    later(24 * 60 + 1);
    expect(await sweepRollouts(o)).toBe(0);
    expect(await watches.list()).toEqual([]);
    // A watch replaced meanwhile (the plan was rolled back, or the stack applied again) is not the one a sweep ends.
    await watches.add(gone);
    const replaced = { ...gone, since: new Date(clock.getTime() + 1000).toISOString() };
    await watches.add(replaced);
    await watches.remove(gone);
    expect(await watches.list()).toEqual([replaced]);
    expect(await events()).toEqual([]);
    await bus.close();
  });
});
