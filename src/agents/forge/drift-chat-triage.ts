import type { AccessRules } from '../../access/access-policy.js';
import { ok, refuse, type Result } from '../../errors.js';
import { DriftStore } from '../../store/drift-store.js';
import type { DriftRunOptions } from './drift-run.js';
import { snoozeDrift } from './drift-snooze.js';
import { adoptDrift, describeMapping, revertDrift, type DriftTriageOptions } from './drift-triage.js';

/** The snooze durations a drift report offers (days). */
export const SNOOZE_DAYS = [1, 7, 30] as const;

/** A click on a drift report's Revert, Adopt or Snooze. */
export interface DriftClick {
  action: 'revert' | 'adopt' | 'snooze';
  stack: string;
  /** The applied version the report was about. */
  version: number;
  /** Snooze: how many days. */
  days?: number;
  user: string;
  channel?: string;
}

/** `YYYY-MM-DD` of `days` after `now` (the snooze lasts to the end of that day, UTC). */
export function snoozeDate(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Revert, Adopt or Snooze from a drift report in chat: plain text back for the person (the
 * surface escapes it). Revert and Adopt submit a normal goal as the person who clicked; Snooze
 * is for approvers and is audited, as with `/crew drift snooze`.
 */
export async function triageDriftFromChat(
  o: DriftRunOptions,
  access: () => Promise<Pick<AccessRules, 'approvers'>>,
  ops: DriftTriageOptions['ops'],
  click: DriftClick,
): Promise<Result<string>> {
  const store = o.store ?? new DriftStore({ redis: o.redis });
  const now = (o.now ?? (() => new Date()))();
  if (click.action === 'snooze') {
    if (!click.days || !(SNOOZE_DAYS as readonly number[]).includes(click.days))
      return refuse('bad-input', `snooze for ${SNOOZE_DAYS.join(', ')} days`);
    const r = await snoozeDrift(
      { store, stacks: o.stacks, plans: o.plans, access: await access(), now },
      click.stack,
      snoozeDate(now, click.days),
      click.user,
    );
    return r.ok
      ? ok(`drift reports of ${click.stack} snoozed until ${r.snooze.until} (recorded in the audit)`)
      : refuse('refused', r.refusal);
  }
  const request = {
    stack: click.stack,
    by: click.user,
    producer: 'slack',
    version: click.version,
    ...(click.channel ? { channel: click.channel } : {}),
  };
  const deps = { ops, stacks: o.stacks, store };
  const r = click.action === 'revert' ? await revertDrift(deps, request) : await adoptDrift(deps, request);
  if (!r.ok) return r;
  const what =
    click.action === 'revert'
      ? `revert of stack ${click.stack} to its approved spec (version ${r.value.version})`
      : `adoption of the drift on stack ${click.stack} (version ${r.value.version})`;
  return ok(
    [
      `Plan \`${r.value.plan.id}\` submitted: ${what}. Sentinel reviews it and a different person approves it in its own review thread.`,
      ...(r.value.mapping ? describeMapping(r.value.mapping) : []),
    ].join('\n'),
  );
}
