import type { PlanRecord } from '../../plan/plan-record.js';
import type { types } from '@slack/bolt';
import { context, esc, fit, header, LIMITS, section, who, type Block } from './block-kit.js';

export interface HomeData {
  viewer: string;
  recent: readonly PlanRecord[];
  pending: readonly PlanRecord[];
  committedMonthlyUsd: number;
  budgetUsd?: number;
  now: Date;
}

const row = (p: PlanRecord) =>
  `\`${p.id}\` *${p.state}* · ${p.stack ?? '-'} · ${who(p.requestedBy)} · ${esc(fit(p.goal, 80))}`;

/** The App Home tab: pending approvals for the viewer, recent plans, budget. */
export function renderHome(d: HomeData): types.HomeView {
  const blocks: Block[] = [header('infracrew')];
  blocks.push(section(`*Waiting for your approval* (${d.pending.length})`));
  if (d.pending.length === 0) blocks.push(context('Nothing waits for you.'));
  for (const p of d.pending.slice(0, 20))
    blocks.push(
      section(
        `${row(p)}\n_approve with_ \`/approve ${p.id}\` _or the buttons in its review thread; open until ${p.expiresAt ?? '?'}_`,
      ),
    );
  blocks.push({ type: 'divider' });
  const budget =
    d.budgetUsd !== undefined
      ? ` of a $${d.budgetUsd.toFixed(2)} budget (${Math.round((d.committedMonthlyUsd / Math.max(d.budgetUsd, 0.01)) * 100)}%)`
      : '';
  blocks.push(section(`*Budget:* committed monthly spend $${d.committedMonthlyUsd.toFixed(2)}${budget}`));
  blocks.push({ type: 'divider' });
  blocks.push(section(`*Recent plans* (${d.recent.length})`));
  const rows = d.recent.map(row);
  // Ten rows per section keeps each under the 3000-character limit.
  for (let i = 0; i < rows.length; i += 10) blocks.push(section(rows.slice(i, i + 10).join('\n')));
  blocks.push(context(`Updated ${d.now.toISOString()} · \`/crew help\` for commands`));
  return { type: 'home', blocks: blocks.slice(0, LIMITS.homeBlocks) };
}
