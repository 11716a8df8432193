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

/*
 * Key layout. Every bus key carries the hash tag `{stream}`:
 *
 *   <prefix>:{stream}:<topic>                          one stream per topic
 *   <prefix>:{stream}:dead                             dead-letter stream (all topics)
 *   <prefix>:{stream}:done:<topic>:<group>:<artifactId> "handled" marker, PX dedupeTtlMs
 *   <prefix>:{stream}:consumer:<consumerName>          liveness key, PX livenessTtlMs
 *
 * The scripts touch a stream together with its done marker (ack), the dead-letter stream
 * (dead-letter) or a consumer's liveness key (reap), so all of them must hash to one slot
 * for Redis Cluster. The price is that the whole bus lives on one cluster node, which is
 * fine for a few artifacts per plan.
 */
export const streamKey = (prefix: string, topic: Topic): string => `${prefix}:{stream}:${topic}`;

export const deadLetterKey = (prefix: string): string => `${prefix}:{stream}:dead`;

export const doneKey = (prefix: string, topic: Topic, group: string, artifactId: string): string =>
  `${prefix}:{stream}:done:${topic}:${group}:${artifactId}`;

/** Handler failures per pending entry of one group: consumer deaths are not failures. */
export const failuresKey = (prefix: string, topic: Topic, group: string): string => `${prefix}:{stream}:failures:${topic}:${group}`;

export const livenessKey = (prefix: string, consumerName: string): string => `${prefix}:{stream}:consumer:${consumerName}`;
