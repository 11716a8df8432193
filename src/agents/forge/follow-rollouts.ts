import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { makeArtifact, type ArtifactBus } from '../../bus/artifact-bus.js';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../log/create-logger.js';
import type { RolloutWatch, RolloutWatchStore } from '../../store/rollout-watch-store.js';
import { ACTIVE_REFRESH, readRefreshes, type RefreshView } from './read-rollout.js';

export interface FollowRolloutsOptions {
  watches: RolloutWatchStore;
  bus: Pick<ArtifactBus, 'publish'>;
  /** The Auto Scaling client of a region. */
  client: (region: string) => AutoScalingClient;
  logger: Logger;
  now?: () => Date;
  /** No refresh started this long after the apply began: the change did not need one. */
  startWithinMs?: number;
  /** A refresh still running (or a group AWS cannot describe) this long after the apply is no longer followed. */
  giveUpAfterMs?: number;
}

/** AWS's clock and ours may differ a little: a refresh is the apply's if it began at most this before the apply did. */
const SKEW_MS = 60_000;

const minutes = (r: RefreshView) =>
  r.startTime && r.endTime
    ? `, ${Math.max(1, Math.round((Date.parse(r.endTime) - Date.parse(r.startTime)) / 60_000))} min`
    : '';

/** What the plan's thread is told when the refresh ends. */
export function rolloutDetail(w: RolloutWatch, r: RefreshView): string {
  if (r.status === 'Successful')
    return `AWS replaced the running instances of ${w.group}: instance refresh ${r.id} Successful${minutes(r)}`;
  const reason = r.statusReason ? ` (${r.statusReason})` : '';
  return `instance refresh ${r.id} of ${w.group} ended ${r.status}${reason}: the group may run old and new instances side by side; \`crew rollout ${w.stack}\` shows it`;
}

/**
 * One pass over the watched applies: the refresh each started is read from AWS, and once it has
 * ended its plan's thread is told (an OpsEvent `rollout` whose id derives from the refresh, so a
 * pass repeated by another process or after a crash posts it once) and the watch ends. Returns
 * how many ended refreshes it reported.
 */
export async function sweepRollouts(o: FollowRolloutsOptions): Promise<number> {
  const now = (o.now?.() ?? new Date()).getTime();
  let reported = 0;
  for (const w of await o.watches.list()) {
    const age = now - Date.parse(w.since);
    let refreshes: RefreshView[];
    try {
      refreshes = await readRefreshes(o.client(w.region), w.group);
    } catch (err) {
      o.logger.warn({ planId: w.planId, group: w.group, err: errorMessage(err) }, 'could not read instance refreshes');
      if (age > (o.giveUpAfterMs ?? 86_400_000)) await o.watches.remove(w);
      continue;
    }
    // Newest first: the newest that began once the apply had begun is the apply's.
    const r = refreshes.find((x) => x.startTime && Date.parse(x.startTime) >= Date.parse(w.since) - SKEW_MS);
    if (!r) {
      if (age > (o.startWithinMs ?? 600_000)) await o.watches.remove(w);
      continue;
    }
    if (ACTIVE_REFRESH.has(r.status)) {
      if (age > (o.giveUpAfterMs ?? 86_400_000)) await o.watches.remove(w);
      continue;
    }
    // One that ended well is said in the plan's thread; one that did not needs a person (an escalation).
    const kind = r.status === 'Successful' ? ('rollout' as const) : ('escalation' as const);
    const note = { kind, stack: w.stack, agent: 'forge', detail: rolloutDetail(w, r) };
    await o.bus.publish(
      'ops.event',
      makeArtifact('OpsEvent', w.planId, note, { producer: 'forge', cause: `rollout:${r.id}` }),
    );
    await o.watches.remove(w);
    reported += 1;
  }
  return reported;
}

/** Sweeps every `intervalMs` until stopped; a pass that fails is logged and the next one tries again. */
export function followRollouts(o: FollowRolloutsOptions & { intervalMs: number }): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepRollouts(o)
      .catch((err: unknown) => o.logger.warn({ err: errorMessage(err) }, 'following instance refreshes failed'))
      .finally(() => (running = false));
  }, o.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
