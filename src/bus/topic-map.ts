import type { ArtifactType } from '../../contracts/artifacts.js';
import type { Artifact } from '../../contracts/envelope.js';
import type { Topic } from './topics.js';

/** What one topic is for: the artifact types it carries, who publishes them, which groups read them. */
export interface TopicRoute {
  readonly carries: readonly ArtifactType[];
  readonly producers: readonly string[];
  readonly groups: readonly string[];
}

/**
 * The crew's topics. `carries` is enforced twice: `publish` accepts only these types (at
 * compile time and again at run time), and an entry of any other type that reaches the
 * stream anyway is dead-lettered as misrouted. `producers` and `groups` are checked against
 * the code by test/unit/bus/topic-map.test.ts, which also writes docs/bus-topics.md.
 */
export const TOPIC_MAP = {
  'goal.submitted': { carries: ['GoalStatement'], producers: ['surface', 'conductor'], groups: ['atlas'] },
  'plan.pending': { carries: ['PlanSpec', 'DesignBlocked'], producers: ['atlas'], groups: ['conductor'] },
  'build.request': { carries: ['PlanSpec'], producers: ['conductor'], groups: ['forge'] },
  'validate.pending': {
    carries: ['ValidateRequest'],
    producers: ['forge', 'conductor'],
    groups: ['conductor', 'sentinel'],
  },
  'validate.result': { carries: ['ValidationResult'], producers: ['sentinel'], groups: ['conductor'] },
  'build.status': { carries: ['BuildStatus'], producers: ['forge'], groups: ['conductor'] },
  'approval.decision': { carries: ['ApprovalDecision'], producers: ['surface'], groups: ['conductor'] },
  'apply.request': { carries: ['ApplyRequest'], producers: ['conductor'], groups: ['forge'] },
  'apply.result': { carries: ['ApplyResult'], producers: ['forge'], groups: ['conductor'] },
  'rollback.request': { carries: ['RollbackRequest'], producers: ['conductor'], groups: ['forge'] },
  'rollback.result': { carries: ['RollbackResult'], producers: ['forge'], groups: ['conductor'] },
  'ops.event': { carries: ['OpsEvent'], producers: ['conductor', 'forge'], groups: ['slack'] },
  notify: { carries: ['OpsEvent'], producers: ['conductor'], groups: ['slack'] },
} as const satisfies Record<Topic, TopicRoute>;

/** Any table saying which types each topic carries; the crew's is TOPIC_MAP. */
export type TopicTypes = { readonly [T in Topic]: { readonly carries: readonly ArtifactType[] } };

export type CrewTopics = typeof TOPIC_MAP;

/** The artifact types topic `T` carries. */
export type CarriedBy<T extends Topic, M extends TopicTypes = CrewTopics> = M[T]['carries'][number];

/** An artifact that may travel on topic `T`: a union where the topic carries several types. */
export type ArtifactOn<T extends Topic, M extends TopicTypes = CrewTopics> = Artifact<CarriedBy<T, M>>;

/** Why an artifact of `type` may not travel on `topic` (which carries `carries`), or undefined when it may. */
export function misrouted(topic: Topic, carries: readonly ArtifactType[], type: ArtifactType): string | undefined {
  return carries.includes(type) ? undefined : `${topic} carries ${carries.join(' or ')}, not ${type}`;
}
