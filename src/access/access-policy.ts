import { identityKey } from './normalize-identity.js';
import { DEFAULT_QUORUM, describeQuorum, type QuorumRules } from './approval-rules.js';
import type { AuthzSettings } from './authz/authz-types.js';

/**
 * Who may approve, how long an approval window stays open and how the CLI learns who is
 * typing: the crew's rules, one set for every process and every surface. The operator's
 * processes (`crew serve`, `crew worker`) publish them; every Conductor reads the published
 * set, so no client's environment can widen them.
 */
export interface AccessPolicy {
  /** Allowed approvers (Slack user groups expanded to members); empty: anyone but the requester. */
  approvers: string[];
  /** Four-eyes is on unless explicitly allowed. */
  allowSelfApproval: boolean;
  approvalTtlMs: number;
  /** The CLI acts as the OS user mapped through `identityMap`; `--as` cannot name anyone else. */
  strictIdentity: boolean;
  /** OS user → identity used for approvals (e.g. a Slack user id). */
  identityMap: Record<string, string>;
  /** Approvals needed by risk and the auto-approved classes (org policy YAML); absent: one approval, none automatic. */
  quorum?: QuorumRules;
  /** Who may do what as policy: the Cedar text or OPA URL in force, named groups; absent: the built-in policy. */
  authz?: AuthzSettings;
  /** Which process published these rules, and when. */
  setBy: string;
  setAt: string;
  /** `operator`: published by crew serve/worker; `first-process`: no operator yet, the first crew process set them. */
  source: 'operator' | 'first-process';
}

/** The rules themselves, without who set them: what two policies are compared on. */
export type AccessRules = Pick<
  AccessPolicy,
  'approvers' | 'allowSelfApproval' | 'approvalTtlMs' | 'strictIdentity' | 'identityMap' | 'quorum' | 'authz'
>;

/** Where a process gets the rules in force: read for every decision, never cached across decisions. */
export interface AccessPolicySource {
  current(): Promise<AccessPolicy>;
}

export const DEFAULT_APPROVAL_TTL_MS = 60 * 60_000;

function sortedKeys(list: readonly string[]): string[] {
  return [...new Set(list.map(identityKey))].sort();
}

/** What differs between two sets of rules, in words (empty when they are the same). */
export function diffAccessRules(current: AccessRules, other: AccessRules): string[] {
  const out: string[] = [];
  const a = sortedKeys(current.approvers).join(',');
  const b = sortedKeys(other.approvers).join(',');
  if (a !== b)
    out.push(`approvers ${describeApprovers(current.approvers)} (yours: ${describeApprovers(other.approvers)})`);
  if (current.allowSelfApproval !== other.allowSelfApproval) {
    out.push(
      `self-approval ${current.allowSelfApproval ? 'allowed' : 'refused'} (yours: ${other.allowSelfApproval ? 'allowed' : 'refused'})`,
    );
  }
  if (current.approvalTtlMs !== other.approvalTtlMs)
    out.push(`approval window ${minutes(current.approvalTtlMs)} (yours: ${minutes(other.approvalTtlMs)})`);
  if (current.strictIdentity !== other.strictIdentity)
    out.push(`strict identity ${onOff(current.strictIdentity)} (yours: ${onOff(other.strictIdentity)})`);
  const mapOf = (m: Record<string, string>) =>
    Object.entries(m)
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(',');
  if (mapOf(current.identityMap) !== mapOf(other.identityMap)) out.push('identity map differs (yours is not used)');
  const qa = describeQuorum(current.quorum ?? DEFAULT_QUORUM);
  const qb = describeQuorum(other.quorum ?? DEFAULT_QUORUM);
  if (qa !== qb) out.push(`${qa} (yours: ${qb})`);
  const pa = describeAuthz(current.authz);
  const pb = describeAuthz(other.authz);
  if (pa !== pb) out.push(`${pa} (yours: ${pb})`);
  else if (current.authz?.cedar?.text !== other.authz?.cedar?.text) out.push(`${pa}: its text differs from yours`);
  return out;
}

export function describeApprovers(approvers: readonly string[]): string {
  return approvers.length ? approvers.join(', ') : 'anyone but the requester';
}

/** Which policy engine decides who may do what, in words. */
export function describeAuthz(authz: AuthzSettings | undefined): string {
  const engine = authz?.opaUrl
    ? `policy: OPA at ${authz.opaUrl}`
    : authz?.cedar
      ? `policy: Cedar ${authz.cedar.source}`
      : 'policy: built-in';
  const groups = Object.entries(authz?.groups ?? {})
    .map(([g, m]) => `${g}=${m.join('+')}`)
    .sort();
  return groups.length ? `${engine}, groups ${groups.join(' ')}` : engine;
}

/** One line for people: the rules and where they came from. */
export function describeAccessPolicy(p: AccessPolicy): string {
  const who =
    p.source === 'operator'
      ? `set by ${p.setBy}`
      : `set by the first crew process (${p.setBy}); crew serve or crew worker replace them`;
  return [
    `approvers: ${describeApprovers(p.approvers)}`,
    `self-approval: ${p.allowSelfApproval ? 'allowed' : 'refused (four-eyes)'}`,
    `approval window: ${minutes(p.approvalTtlMs)}`,
    `strict identity: ${onOff(p.strictIdentity)}${p.strictIdentity ? ` (${Object.keys(p.identityMap).length} mapped users)` : ''}`,
    ...(p.authz ? [describeAuthz(p.authz)] : []),
    `${who} at ${p.setAt}`,
  ].join('; ');
}

function minutes(ms: number): string {
  const m = ms / 60_000;
  return `${Number.isInteger(m) ? m : m.toFixed(2)} min`;
}

function onOff(b: boolean): string {
  return b ? 'on' : 'off';
}

/** The rules this process's configuration describes. */
export function accessPolicyFromConfig(
  config: Pick<
    AccessRules,
    'approvers' | 'allowSelfApproval' | 'approvalTtlMs' | 'strictIdentity' | 'identityMap' | 'authz'
  >,
  origin: { setBy: string; source: AccessPolicy['source']; now?: Date; quorum?: QuorumRules },
): AccessPolicy {
  return {
    approvers: [...config.approvers],
    allowSelfApproval: config.allowSelfApproval,
    approvalTtlMs: config.approvalTtlMs,
    strictIdentity: config.strictIdentity,
    identityMap: { ...config.identityMap },
    ...(origin.quorum ? { quorum: origin.quorum } : {}),
    ...(config.authz ? { authz: config.authz } : {}),
    setBy: origin.setBy,
    setAt: (origin.now ?? new Date()).toISOString(),
    source: origin.source,
  };
}
