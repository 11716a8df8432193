import type { webApi } from '@slack/bolt';
import { esc, who } from './render/block-kit.js';
import { renderReview, type ResourceChange } from './render/render-review.js';
import { planText } from '../plan/render-plan.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { PlanStore } from '../store/plan-store.js';
import type { TriggerGuard } from './claim-once.js';
import { readTopChanges } from './read-top-changes.js';
import { renderDiagram } from './render-diagram.js';
import { uploadFiles } from './upload-file.js';

export interface ReviewThreadsOptions {
  client: webApi.WebClient;
  plans: PlanStore;
  /** Where the plan JSON is for a review on any host (the crew's artifact store). */
  artifacts?: ArtifactStore;
  guard: TriggerGuard;
  logger: Logger;
  /** Where threads go; the channel the plan was asked from when unset. */
  reviewChannel?: string;
  /** Approver entries as configured (user ids and S… groups), for mentions. */
  approverEntries: readonly string[];
}

export interface TransitionNote {
  from?: string;
  to?: string;
  by?: string;
  detail: string;
}

const KEEP_MS = 30 * 86_400_000;

/** One review thread per plan: root message kept current, a reply per transition, files attached once. */
const ALERT_TITLES: Record<string, string> = {
  sla_breach: 'rollback SLA breached',
  escalation: 'escalation',
  stuck: 'plan stuck',
  heartbeat: 'agent silent',
};

export class ReviewThreads {
  constructor(private readonly o: ReviewThreadsOptions) {}

  async onTransition(planId: string, note: TransitionNote): Promise<void> {
    const plan = await this.o.plans.get(planId);
    if (!plan) return;
    const thread = await this.ensureRoot(plan);
    if (!thread) return;
    const changes = await readTopChanges(plan.planJson, this.o.artifacts);
    const review = renderReview(plan, changes);
    await this.o.client.chat.update({
      channel: thread.channel,
      ts: thread.ts,
      text: review.text,
      blocks: review.blocks,
    });
    const by = note.by ? ` by ${who(note.by)}` : '';
    // Details carry people's words (reasons, refusals quoting the goal): escaped like the blocks.
    await this.o.client.chat.postMessage({
      channel: thread.channel,
      thread_ts: thread.ts,
      text: `\`${note.from ?? '?'}\` → \`${note.to ?? plan.state}\`${by}: ${esc(note.detail)}`,
    });
    if (note.to === 'PENDING' && plan.spec) await this.attachDiagram(plan, thread);
    if (review.truncated && plan.validation) await this.attachFullReview(plan, thread, changes);
  }

  /** Mentions the approvers in the plan's thread (or the review channel) for escalations, SLA breaches, stuck plans and silent agents. */
  async alertApprovers(planId: string | undefined, kind: string, detail: string): Promise<void> {
    const plan = planId ? await this.o.plans.get(planId) : undefined;
    const channel = plan?.threadTs ? plan.channel : (this.o.reviewChannel ?? plan?.channel);
    if (!channel) return;
    const mentions = this.o.approverEntries.length
      ? this.o.approverEntries.map((e) => (e.startsWith('S') ? `<!subteam^${e}>` : `<@${e}>`)).join(' ')
      : '<!here>';
    const title = Object.hasOwn(ALERT_TITLES, kind) ? ALERT_TITLES[kind] : esc(kind);
    const text = `:rotating_light: ${mentions} ${title}${plan ? ` on plan ${plan.id}` : ''}: ${esc(detail)}`;
    if (plan?.threadTs)
      await this.o.client.chat.postMessage({ channel, thread_ts: plan.threadTs, reply_broadcast: true, text });
    else await this.o.client.chat.postMessage({ channel, text });
  }

  private async ensureRoot(plan: PlanRecord): Promise<{ channel: string; ts: string } | undefined> {
    if (plan.threadTs && plan.channel) return { channel: plan.channel, ts: plan.threadTs };
    const channel = this.o.reviewChannel ?? plan.channel;
    if (!channel) return undefined;
    if (await this.o.guard.claim(`thread:${plan.id}`, KEEP_MS)) {
      const review = renderReview(plan);
      const r = await this.o.client.chat.postMessage({ channel, text: review.text, blocks: review.blocks });
      if (!r.ts) return undefined;
      const at = { channel: r.channel ?? channel, ts: r.ts };
      await this.o.plans.patch(plan.id, { threadTs: at.ts, channel: at.channel });
      return at;
    }
    // Another replica is posting the root right now: wait for it rather than post a second one.
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const p = await this.o.plans.get(plan.id);
      if (p?.threadTs && p.channel) return { channel: p.channel, ts: p.threadTs };
    }
    this.o.logger.warn({ planId: plan.id }, 'review thread root never appeared');
    return undefined;
  }

  private async attachDiagram(plan: PlanRecord, thread: { channel: string; ts: string }): Promise<void> {
    if (!plan.spec || !(await this.o.guard.claim(`diagram:${plan.id}`, KEEP_MS))) return;
    const source = Buffer.from(plan.spec.diagram, 'utf8');
    const drawn = await renderDiagram(plan.spec.diagram).catch((err: unknown) => {
      this.o.logger.warn({ planId: plan.id, err }, 'diagram did not render; attaching the Mermaid source only');
      return undefined;
    });
    await uploadFiles(
      this.o.client,
      thread.channel,
      thread.ts,
      [
        ...(drawn
          ? [{ filename: `${plan.id}-topology.png`, title: `Topology of ${plan.spec.stack}`, data: drawn.png }]
          : []),
        { filename: `${plan.id}-topology.mmd`, title: 'Mermaid source', data: source },
      ],
      'Topology',
    );
  }

  private async attachFullReview(
    plan: PlanRecord,
    thread: { channel: string; ts: string },
    changes: readonly ResourceChange[],
  ): Promise<void> {
    if (!(await this.o.guard.claim(`review-file:${plan.id}:${plan.planSha256 ?? 'none'}`, KEEP_MS))) return;
    const findings = (plan.validation?.findings ?? []).map(
      (f) => `${f.waived ? 'WAIVED ' : ''}${f.severity.padEnd(8)} ${f.ruleId}  ${f.address}: ${f.message}`,
    );
    const text = [
      planText(plan),
      '',
      `All findings (${findings.length}):`,
      ...findings,
      '',
      `Resource changes (${changes.length}):`,
      ...changes.map((c) => `${c.actions.join('/').padEnd(14)} ${c.address}`),
    ].join('\n');
    await uploadFiles(
      this.o.client,
      thread.channel,
      thread.ts,
      [{ filename: `${plan.id}-review.txt`, title: `Full review of ${plan.id}`, data: Buffer.from(text, 'utf8') }],
      'The full plan and findings did not fit in the message',
    );
  }
}
