/** Every stream the crew talks over; one consumer group per role reads each. */
export const TOPICS = [
  'goal.submitted',
  'plan.pending',
  'build.request',
  'validate.pending',
  'validate.result',
  'build.status',
  'approval.decision',
  'apply.request',
  'apply.result',
  'rollback.request',
  'rollback.result',
  'ops.event',
  'notify',
] as const;

export type Topic = (typeof TOPICS)[number];

const TOPIC_SET: ReadonlySet<string> = new Set(TOPICS);

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && TOPIC_SET.has(value);
}
