import type { webApi } from '@slack/bolt';
import { esc } from './render/block-kit.js';
import { renderReview, type RenderedReview, type ResourceChange } from './render/render-review.js';
import { ESSENTIAL_SECTIONS } from './render/review-sections.js';
import { replyChunks, type TransitionNote } from './render/render-replies.js';
import { planText } from '../plan/render-plan.js';
import type { Logger } from '../log/create-logger.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { PlanStore } from '../store/plan-store.js';
import type { TriggerGuard } from './claim-once.js';
import { readTopChanges } from './read-top-changes.js';
import { renderDiagram } from './render-diagram.js';
import { ChannelPace, postAtPace } from './pace-channel.js';
import { uploadFiles, type UploadItem } from './upload-file.js';

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
  /** The plan's full page, when the crew serves one: linked from the review. */
  fullPlanUrl?: (planId: string) => string | undefined;
  /** Spaces chat.postMessage per channel; one per process by default. */
  pace?: ChannelPace;
}

export type { TransitionNote };

const KEEP_MS = 30 * 86_400_000;
const BUDGET_ERRORS = new Set(['invalid_blocks', 'msg_blocks_too_long', 'msg_too_long']);

/** One review thread per plan: root message kept current, a reply per transition, files attached once. */
const ALERT_TITLES: Record<string, string> = {
  sla_breach: 'rollback SLA breached',
  escalation: 'escalation',
  stuck: 'plan stuck',
  heartbeat: 'agent silent',
};

export class ReviewThreads {
  private readonly pace: ChannelPace;

  constructor(private readonly o: ReviewThreadsOptions) {
    this.pace = o.pace ?? new ChannelPace();
  }

  /** chat.postMessage at Slack's pace for the channel. */
  private async post(args: webApi.ChatPostMessageArguments): Promise<webApi.ChatPostMessageResponse> {
    return postAtPace(this.pace, this.o.client, args);
  }

  /** Posts one transition now (no coalescing): the root re-rendered, one reply, attachments. */
  async onTransition(planId: string, note: TransitionNote): Promise<void> {
    await this.publish(planId, [note]);
  }

  /**
   * Brings a plan's thread up to date with `notes` (in order): the root re-rendered from the
   * latest record, files attached once, then the notes as few replies as fit (one usually).
   * `posted(n)` is told after each reply how many notes it carried, so a caller can forget them.
   */
  async publish(
    planId: string,
    notes: ReadonlyArray<TransitionNote | undefined>,
    posted: (n: number) => Promise<unknown> = async () => undefined,
  ): Promise<void> {
    const plan = await this.o.plans.get(planId);
    if (!plan) return void (await posted(notes.length));
    const thread = await this.ensureRoot(plan);
    // No review channel and none the plan was asked from: there is nowhere to post, ever.
    if (!thread) return void (await posted(notes.length));
    const changes = await readTopChanges(plan.planJson, this.o.artifacts);
    const fullPlanUrl = this.o.fullPlanUrl?.(plan.id);
    const review = renderReview(plan, changes, fullPlanUrl ? { fullPlanUrl } : {});
    await this.updateRoot(thread, review, plan);
    // Files before replies: a failed upload is retried with the replies, never after them.
    if (notes.some((n) => n?.to === 'PENDING') && plan.spec) await this.attachDiagram(plan, thread);
    if (review.truncated && plan.validation) await this.attachFullReview(plan, thread, changes);
    for (const chunk of replyChunks(notes, plan.state)) {
      if (chunk.text) await this.post({ channel: thread.channel, thread_ts: thread.ts, text: chunk.text });
      await posted(chunk.count);
    }
  }

  /** The root message; a review Slack refuses for its size falls back to the essentials. */
  private async updateRoot(thread: { channel: string; ts: string }, review: RenderedReview, plan: PlanRecord) {
    try {
      await this.o.client.chat.update({
        channel: thread.channel,
        ts: thread.ts,
        text: review.text,
        blocks: review.blocks,
      });
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error ?? '';
      if (!BUDGET_ERRORS.has(code)) throw err;
      this.o.logger.error({ planId: plan.id, code }, 'Slack refused the review for its size; posting the essentials');
      const small = renderReview(plan, [], { sections: ESSENTIAL_SECTIONS });
      await this.o.client.chat.update({
        channel: thread.channel,
        ts: thread.ts,
        text: review.text,
        blocks: small.blocks,
      });
    }
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
    if (plan?.threadTs) await this.post({ channel, thread_ts: plan.threadTs, reply_broadcast: true, text });
    else await this.post({ channel, text });
  }

  private async ensureRoot(plan: PlanRecord): Promise<{ channel: string; ts: string } | undefined> {
    if (plan.threadTs && plan.channel) return { channel: plan.channel, ts: plan.threadTs };
    const channel = this.o.reviewChannel ?? plan.channel;
    if (!channel) return undefined;
    if (await this.o.guard.claim(`thread:${plan.id}`, KEEP_MS)) {
      try {
        const review = renderReview(plan);
        const r = await this.post({ channel, text: review.text, blocks: review.blocks });
        if (!r.ts) throw new Error('chat.postMessage answered without a ts');
        const at = { channel: r.channel ?? channel, ts: r.ts };
        await this.o.plans.patch(plan.id, { threadTs: at.ts, channel: at.channel });
        return at;
      } catch (err) {
        // Not posted (rate limited, Slack down): the next attempt must be free to post it.
        await this.o.guard.release(`thread:${plan.id}`);
        throw err;
      }
    }
    // Another replica is posting the root right now: wait for it rather than post a second one.
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const p = await this.o.plans.get(plan.id);
      if (p?.threadTs && p.channel) return { channel: p.channel, ts: p.threadTs };
    }
    throw new Error(`the review thread root of plan ${plan.id} never appeared`);
  }

  private async attachDiagram(plan: PlanRecord, thread: { channel: string; ts: string }): Promise<void> {
    if (!plan.spec || !(await this.o.guard.claim(`diagram:${plan.id}`, KEEP_MS))) return;
    const source = Buffer.from(plan.spec.diagram, 'utf8');
    const drawn = await renderDiagram(plan.spec.diagram).catch((err: unknown) => {
      this.o.logger.warn({ planId: plan.id, err }, 'diagram did not render; attaching the Mermaid source only');
      return undefined;
    });
    await this.uploadOnce(
      `diagram:${plan.id}`,
      thread,
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
    const key = `review-file:${plan.id}:${plan.planSha256 ?? 'none'}`;
    if (!(await this.o.guard.claim(key, KEEP_MS))) return;
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
    await this.uploadOnce(
      key,
      thread,
      [{ filename: `${plan.id}-review.txt`, title: `Full review of ${plan.id}`, data: Buffer.from(text, 'utf8') }],
      'The full plan and findings did not fit in the message',
    );
  }

  /** Uploads under a claim already taken; a failed upload frees the claim so a retry uploads again. */
  private async uploadOnce(
    key: string,
    thread: { channel: string; ts: string },
    items: UploadItem[],
    comment: string,
  ): Promise<void> {
    try {
      await uploadFiles(this.o.client, thread.channel, thread.ts, items, comment);
    } catch (err) {
      await this.o.guard.release(key);
      throw err;
    }
  }
}
