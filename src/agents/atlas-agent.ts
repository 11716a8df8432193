import { makeArtifact, type ArtifactBus } from '../bus/artifact-bus.js';
import type { Logger } from '../log/create-logger.js';
import type { StackStore } from '../store/stack-store.js';
import { draftWithStacks, type SeenVersions } from './atlas/draft-with-stacks.js';
import type { AtlasContext, AtlasDefaults, AtlasOutcome, OrgConstraints } from './atlas/atlas-types.js';

export interface AtlasAgentOptions {
  bus: ArtifactBus;
  stacks: StackStore;
  logger: Logger;
  defaults: AtlasDefaults;
  budgetUsd?: number;
  constraints?: OrgConstraints;
  llm?: AtlasContext['llm'];
}

/**
 * A goal like the ones Atlas reads on the crew's target, for warming Atlas (and Forge, with its
 * spec): the proxmox target's blueprint is a k3s cluster, the others' a private Ollama group.
 */
function sampleGoal(target: AtlasDefaults['target']): string {
  return target === 'proxmox'
    ? 'k3s cluster with 3 nodes, stack warm-up'
    : 'private Ollama on spot g4dn.xlarge in eu-west-1, off on weekends, budget $300/month, stack warm-up';
}

/**
 * Loads Atlas's parser and reads a sample goal with it twice: its regular expressions are
 * compiled on first use and again, to machine code, on the second, so a long-running process's
 * first goals do not wait for that. Resolves with what the two reads gave (Forge's warm-up
 * renders the spec); best effort, so never rejects (an error gives []).
 */
export function warmAtlas(defaults: AtlasDefaults): Promise<AtlasOutcome[]> {
  return import('./atlas/parse-goal.js').then(
    ({ parseGoal }) => [0, 1].map(() => parseGoal(sampleGoal(defaults.target), { defaults })),
    () => [],
  );
}

/** Atlas on the bus: a GoalStatement in, a PlanSpec or DesignBlocked out. */
export function registerAtlas(o: AtlasAgentOptions): void {
  o.bus.consume('goal.submitted', 'atlas', async (a) => {
    const goal = a.payload;
    const base: AtlasContext = {
      defaults: goal.target ? { ...o.defaults, target: goal.target } : o.defaults,
      ...(goal.stack ? { stack: goal.stack } : {}),
      ...(goal.budgetUsd !== undefined
        ? { budgetUsd: goal.budgetUsd }
        : o.budgetUsd !== undefined
          ? { budgetUsd: o.budgetUsd }
          : {}),
      ...(o.constraints ? { constraints: o.constraints } : {}),
      ...(o.llm ? { llm: o.llm } : {}),
    };
    // The reader (and its language models) loads with the first goal, not with every crew process.
    // A change request merges into its stack's current spec: only the stacks the goal names are read.
    // The version of each stack as the draft saw it: the spec says which one it was drafted against.
    const seen: SeenVersions = new Map();
    const outcome = goal.drift
      ? await draftWithStacks(
          o.stacks,
          async (currentSpec) => {
            const applied = goal.stack ? await o.stacks.current(goal.stack) : undefined;
            if (goal.stack) seen.set(goal.stack, applied?.version ?? 0);
            return (await import('./atlas/draft-triage.js')).draftTriage(goal, applied, { ...base, currentSpec });
          },
          undefined,
          seen,
        )
      : base.llm
        ? await (await import('./atlas/draft-goal.js')).draftGoalWithStacks(o.stacks, goal.text, goal.stack, base, seen)
        : // Without a language model, the parser alone: its client and schema checker stay unloaded.
          await draftWithStacks(
            o.stacks,
            async (currentSpec) =>
              (await import('./atlas/parse-goal.js')).parseGoal(goal.text, { ...base, currentSpec }),
            undefined,
            seen,
          );
    const opts = { producer: 'atlas', cause: a };
    if (outcome.kind === 'spec') {
      const spec = { ...outcome.spec, baseVersion: seen.get(outcome.spec.stack) ?? 0 };
      await o.bus.publish('plan.pending', makeArtifact('PlanSpec', a.planId, spec, opts));
    } else {
      const reason = outcome.kind === 'blocked' ? outcome.reason : outcome.message;
      const rationale = outcome.kind === 'blocked' ? outcome.rationale : [];
      await o.bus.publish(
        'plan.pending',
        makeArtifact('DesignBlocked', a.planId, { reason, rationale, attempts: 1 }, opts),
      );
    }
  });
}
