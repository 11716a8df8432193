/*
 * Every Redis key the crew uses, built here and nowhere else. `prefix` is `crew` unless a
 * test or a second crew on the same Redis picks another; it never contains braces.
 *
 * A `{…}` hash tag keeps keys that one script changes together in one Redis Cluster slot:
 *
 *   <prefix>:plan:{<planId>}                       hash: the plan record
 *   <prefix>:plan:{<planId>}:history|audit|decisions|applied
 *   <prefix>:artifact:{<sha256>}                   an artifact's bytes (plan file, plan JSON) by sha256, for any host
 *   <prefix>:{audit}:outbox                        audit rows not yet written to PostgreSQL
 *   <prefix>:{index}:plans | active | stacks       recent plans (zset), plans not ended, applied stacks
 *   <prefix>:{index}:stack-summary                 each applied stack's current version, cost and standing
 *   <prefix>:{index}:plans:blocked:<requester>     consecutive DesignBlocked outcomes (1 h)
 *   <prefix>:stack:{stack:<name>}[:versions|:lock|:queue|:drift|:drift-snooze|:schedule-baselines]
 *   <prefix>:{crew}:access-policy                  the crew's access rules (JSON)
 *   <prefix>:{stream}:<topic> | dead               one stream per topic, the dead-letter stream
 *   <prefix>:{stream}:done:<planId>:<topic>:<group>:<artifactId>   "handled" marker, PX dedupeTtlMs
 *   <prefix>:{stream}:failures:<topic>:<group>     handler failures per pending entry
 *   <prefix>:{stream}:consumer:<consumerName>      consumer liveness, PX livenessTtlMs
 *   <prefix>:finops:{finops}:spend | spend-seen | digest-last | suggestions | suggestions-accepted
 *   <prefix>:spot:<region>                         cached Spot prices
 *   <prefix>:heartbeat:<agent>:<instance>          agent heartbeats (no tag: written one at a time)
 *   <prefix>:slack:<name>                          Slack triggers claimed once
 *   <prefix>:{slack}:replies:<planId> | replies-due | replies-lock:<planId>   review-thread replies not yet posted
 *
 * The bus's scripts and transactions touch a stream with its done markers, the dead-letter stream
 * or a consumer's liveness key, so every bus key carries `{stream}`: the whole bus lives on one cluster node,
 * which is fine for a few artifacts per plan.
 */

// Plans: a record and everything kept beside it share `{planId}`.
export const planKey = (prefix: string, planId: string): string => `${prefix}:plan:{${planId}}`;
/**
 * Where a plan's changes are announced (pub/sub; in the plan's hash slot on a Cluster). The move
 * script (lua/move-plan-2.lua) spells it the same way, from the plan's key.
 */
export const planChangedChannel = (prefix: string, planId: string): string => `${planKey(prefix, planId)}:changed`;
export const planHistoryKey = (prefix: string, planId: string): string => `${planKey(prefix, planId)}:history`;
export const planAuditKey = (prefix: string, planId: string): string => `${planKey(prefix, planId)}:audit`;
/** Every policy decision on a plan: who asked to do what, allow or deny, and the deciding policies. */
export const planPolicyKey = (prefix: string, planId: string): string => `${planKey(prefix, planId)}:policy`;
export const planDecisionsKey = (prefix: string, planId: string): string => `${planKey(prefix, planId)}:decisions`;
/** One approval per person and plan file (the quorum counts them). */
export const planApprovalsKey = (prefix: string, planId: string): string => `${planKey(prefix, planId)}:approvals`;
/** The plan file sha256 Forge applied for a plan (written only after Terraform finished). */
export const appliedMarkerKey = (prefix: string, planId: string): string => `${planKey(prefix, planId)}:applied`;
/** Set (with a TTL) when a sweep re-sent a plan's lost request: the next re-send waits for it to lapse. */
export const planResentKey = (prefix: string, planId: string, what: string): string =>
  `${planKey(prefix, planId)}:resent:${what}`;

/** An artifact's bytes (a saved plan file, a plan JSON) by their sha256, so any host can fetch them. */
export const artifactKey = (prefix: string, sha256: string): string => `${prefix}:artifact:{${sha256}}`;
/** The plans that stored an artifact (its bytes leave with the last of them, or by their TTL). */
export const artifactRefsKey = (prefix: string, sha256: string): string => `${artifactKey(prefix, sha256)}:refs`;
/** The sha256s of the artifacts a plan stored in Redis (released when its record expires). */
export const planArtifactsKey = (prefix: string, planId: string): string => `${planKey(prefix, planId)}:artifacts`;

/** Audit rows waiting for PostgreSQL, oldest first (drained in the background, retried while it is down). */
export const auditOutboxKey = (prefix: string): string => `${prefix}:{audit}:outbox`;

// Indexes across plans and stacks: their own slot, kept beside the records and repaired on read.
export const planIndexKey = (prefix: string): string => `${prefix}:{index}:plans`;
export const activePlansKey = (prefix: string): string => `${prefix}:{index}:active`;
export const blockedCountKey = (prefix: string, requester: string): string =>
  `${planIndexKey(prefix)}:blocked:${requester}`;
export const stackIndexKey = (prefix: string): string => `${prefix}:{index}:stacks`;
/** hash: stack → its current version's number, monthly cost and whether it stands (what crew-wide reads need). */
export const stackSummaryKey = (prefix: string): string => `${prefix}:{index}:stack-summary`;
/** set: the plans that entered a locking state on `stack` (members that left it are dropped when read). */
export const stackHoldersKey = (prefix: string, stack: string): string => `${prefix}:{index}:holders:${stack}`;
/** Set once the per-stack holder sets are complete (built from the open plans by the first reader). */
/** Applies whose instance refresh the crew follows until it ends (stack → RolloutWatch). */
export const rolloutWatchKey = (prefix: string): string => `${prefix}:{index}:rollouts`;
export const stackHoldersReadyKey = (prefix: string): string => `${prefix}:{index}:holders-ready`;

// Stacks: a stack's record, versions, lock and queue share `{stack:name}`.
export const stackKey = (prefix: string, stack: string): string => `${prefix}:stack:{stack:${stack}}`;
export const stackVersionsKey = (prefix: string, stack: string): string => `${stackKey(prefix, stack)}:versions`;
export const stackLockKey = (prefix: string, stack: string): string => `${stackKey(prefix, stack)}:lock`;
export const stackQueueKey = (prefix: string, stack: string): string => `${stackKey(prefix, stack)}:queue`;
export const stackDriftKey = (prefix: string, stack: string): string => `${stackKey(prefix, stack)}:drift`;
/** hash: ASG name → the crew's scheduled actions before the stack's first apply (what a destroy restores). */
export const stackScheduleBaselinesKey = (prefix: string, stack: string): string =>
  `${stackKey(prefix, stack)}:schedule-baselines`;
export const stackDriftSnoozeKey = (prefix: string, stack: string): string => `${stackKey(prefix, stack)}:drift-snooze`;

export const accessPolicyKey = (prefix: string): string => `${prefix}:{crew}:access-policy`;

// The bus (topics are the bus's names; any string here so this module stays below the bus).
export const streamKey = (prefix: string, topic: string): string => `${prefix}:{stream}:${topic}`;
export const deadLetterKey = (prefix: string): string => `${prefix}:{stream}:dead`;
/** Everything before a done marker's plan id: retention finds an expired plan's markers by SCAN on this. */
export const doneHead = (prefix: string): string => `${prefix}:{stream}:done:`;
/** "This group handled this artifact" (the plan's id first, so its markers can leave with the plan). */
export const doneKey = (prefix: string, topic: string, group: string, artifactId: string, planId: string): string =>
  `${doneHead(prefix)}${planId}:${topic}:${group}:${artifactId}`;
/** Handler failures per pending entry of one group: consumer deaths are not failures. */
export const failuresKey = (prefix: string, topic: string, group: string): string =>
  `${prefix}:{stream}:failures:${topic}:${group}`;
export const livenessKey = (prefix: string, consumerName: string): string =>
  `${prefix}:{stream}:consumer:${consumerName}`;

// FinOps: the ledger's dedupe and append share `{finops}`.
export const spendEventsKey = (prefix: string): string => `${prefix}:finops:{finops}:spend`;
export const spendSeenKey = (prefix: string): string => `${prefix}:finops:{finops}:spend-seen`;
export const digestLastKey = (prefix: string): string => `${prefix}:finops:{finops}:digest-last`;
/** The last savings suggestions listed (JSON), so `--plan <n>` plans the one the person saw. */
export const suggestionsKey = (prefix: string): string => `${prefix}:finops:{finops}:suggestions`;
/** Suggestions submitted as plans: planId → what was accepted and, once applied, realised. */
export const suggestionsAcceptedKey = (prefix: string): string => `${prefix}:finops:{finops}:suggestions-accepted`;
export const spotPricesKey = (prefix: string, region: string): string => `${prefix}:spot:${region}`;

/** Everything before `<agent>:<instance>`: heartbeats are found by SCAN on this. */
export const heartbeatHead = (prefix: string): string => `${prefix}:heartbeat:`;
export const heartbeatKey = (prefix: string, agent: string, instance: string): string =>
  `${heartbeatHead(prefix)}${agent}:${instance}`;

export const slackClaimKey = (prefix: string, name: string): string => `${prefix}:slack:${name}`;

// Review-thread replies waiting to be posted: one list per plan, one schedule, one flush lock per plan.
export const slackRepliesKey = (prefix: string, planId: string): string => `${prefix}:{slack}:replies:${planId}`;
export const slackRepliesDueKey = (prefix: string): string => `${prefix}:{slack}:replies-due`;
export const slackRepliesLockKey = (prefix: string, planId: string): string =>
  `${prefix}:{slack}:replies-lock:${planId}`;
