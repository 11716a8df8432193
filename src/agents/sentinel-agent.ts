import type { Redis } from 'ioredis';
import { readSpotPrices } from './finpilot/spot-price-cache.js';
import { makeArtifact, type ArtifactBus } from '../bus/artifact-bus.js';
import type { Logger } from '../log/create-logger.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { PlanStore } from '../store/plan-store.js';
import type { StackStore } from '../store/stack-store.js';
import { readPlanJson } from './sentinel/read-plan-json.js';
import type { OrgPolicy } from './sentinel/policy/policy-types.js';

export interface SentinelAgentOptions {
  bus: ArtifactBus;
  /** Where FinPilot caches live Spot prices; without them Sentinel uses its default discount. */
  redis?: Redis;
  prefix?: string;
  plans: PlanStore;
  /** Where Forge put the plan JSON, by sha256: Sentinel needs nothing on its own disk. */
  artifacts: ArtifactStore;
  stacks: StackStore;
  logger: Logger;
  policy?: OrgPolicy;
  defaultRegion: string;
  /** Infracost usage file, read for every plan so edits apply without a restart. */
  usageFile?: string;
  now?: () => Date;
}

let rules: ReturnType<typeof importRules> | undefined;

function importRules() {
  return Promise.all([
    import('./sentinel/cost/load-usage-file.js'),
    import('./sentinel/evaluate-plan.js'),
    import('./sentinel/plan/read-plan.js'),
    import('./sentinel/preview-rollback.js'),
  ]);
}

/**
 * The rules and the cost model, loaded once: with the first plan, not with every crew process
 * (or earlier, by warmSentinelOnce). A load that failed is tried again by the next plan.
 */
function loadRules(): ReturnType<typeof importRules> {
  rules ??= importRules().catch((err: unknown) => {
    rules = undefined;
    throw err;
  });
  return rules;
}

let judged: Promise<string[]> | undefined;

/**
 * warmSentinelRules once per process: the first call loads the rules and judges the sample
 * plan, later calls share that. What a process runs while Terraform's first command does (its
 * own thread would sit idle), and what a long-running process runs at start.
 */
export function warmSentinelOnce(): Promise<string[]> {
  judged ??= warmSentinelRules();
  return judged;
}

/**
 * Loads Sentinel's rules and judges a sample plan with them twice (WARM_SAMPLE_PLAN), so a
 * long-running process's first review does not compile the rules and the cost model on the way.
 * Resolves with the two verdicts (not used); best effort, so never rejects (an error gives []).
 */
export async function warmSentinelRules(): Promise<string[]> {
  try {
    const [[, { evaluatePlan }, { parsePlanObject }, { previewRollback }], { WARM_SAMPLE_PLAN }] = await Promise.all([
      loadRules(),
      import('./sentinel/warm-sample-plan.js'),
    ]);
    return [0, 1].map(() => {
      const parsed = parsePlanObject(WARM_SAMPLE_PLAN);
      if (!parsed.ok) return 'unreadable';
      const result = evaluatePlan(parsed.plan, {
        budgetUsd: 300,
        brakeRatio: 0.8,
        spentUsd: 0,
        defaultRegion: 'us-east-1',
      });
      previewRollback(parsed.plan.changes, result.cost);
      return result.verdict;
    });
  } catch {
    return [];
  }
}

/** Sentinel on the bus: a ValidateRequest in, a ValidationResult (PASS/FAIL) out. */
export function registerSentinel(o: SentinelAgentOptions): void {
  o.bus.consume('validate.pending', 'sentinel', async (a) => {
    const req = a.payload;
    const [{ loadUsageFile }, { evaluatePlan }, { readPlanBytes }, { previewRollback }] = await loadRules();
    // Independent reads go out together: the plan JSON with the record, the prices with the spend.
    const [bytes, plan] = await Promise.all([readPlanJson(o.artifacts, req.planJson), o.plans.get(a.planId)]);
    const parsed = readPlanBytes(bytes);
    if (!parsed.ok) throw new Error(parsed.reason);
    const usage = o.usageFile ? await loadUsageFile(o.usageFile) : undefined;
    const budget = plan?.spec?.budget;
    const region = plan?.spec?.region ?? o.defaultRegion;
    const [spot, spentUsd] = await Promise.all([
      o.redis ? readSpotPrices(o.redis, region, o.prefix ?? 'crew').then((r) => r.prices) : {},
      o.stacks.committedMonthlyUsd(req.stack),
    ]);
    const result = evaluatePlan(parsed.plan, {
      ...(Object.keys(spot).length > 0 ? { spotPrices: spot } : {}),
      budgetUsd: budget?.monthlyUsd ?? null,
      brakeRatio: budget?.brakeRatio ?? 0.8,
      spentUsd,
      defaultRegion: region,
      ...(o.policy ? { policy: o.policy } : {}),
      ...(usage ? { usage } : {}),
      ...(o.now ? { now: o.now() } : {}),
    });
    await o.bus.publish(
      'validate.result',
      makeArtifact(
        'ValidationResult',
        a.planId,
        {
          ...result,
          // From the same plan JSON and cost estimate: no second Terraform run for the reverse.
          rollbackPreview: previewRollback(parsed.plan.changes, result.cost),
          planSha256: req.planFile.sha256,
        },
        { producer: 'sentinel', cause: a },
      ),
    );
  });
}
