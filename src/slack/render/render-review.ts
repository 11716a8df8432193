import type { PlanRecord } from '../../plan/plan-record.js';
import { esc, fit, who, type Block } from './block-kit.js';
import { fitSections, MESSAGE_BUDGET, type MessageBudget } from './fit-sections.js';
import { REVIEW_SECTIONS, type ResourceChange, type ReviewInput, type ReviewSection } from './review-sections.js';

export { stateLine, type ResourceChange, type ReviewInput } from './review-sections.js';

export interface RenderedReview {
  text: string;
  blocks: Block[];
  /** True when findings or changes did not all fit: the full review goes up as a file. */
  truncated: boolean;
}

export interface RenderReviewOptions {
  fullPlanUrl?: string;
  /** Defaults to REVIEW_SECTIONS; tests and other surfaces may pass their own. */
  sections?: readonly ReviewSection[];
  budget?: MessageBudget;
}

/** The root message of a plan's review thread; re-rendered from the record on every transition. */
export function renderReview(
  plan: PlanRecord,
  changes: readonly ResourceChange[] = [],
  o: RenderReviewOptions = {},
): RenderedReview {
  const input: ReviewInput = { plan, changes, ...(o.fullPlanUrl ? { fullPlanUrl: o.fullPlanUrl } : {}) };
  const fitted = fitSections(
    (o.sections ?? REVIEW_SECTIONS).map((build) => build(input)),
    o.budget ?? MESSAGE_BUDGET,
  );
  // The fallback is what notifications and screen readers show: escaped like the blocks, or a
  // goal could ping <!channel> or show a link under false text.
  const text = `Plan ${plan.id} (${plan.state}) requested by ${who(plan.requestedBy)}: ${esc(fit(plan.goal, 200))}`;
  return { text, blocks: fitted.blocks, truncated: fitted.cut };
}
