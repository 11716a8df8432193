import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { authorize } from '../src/access/authz/authorize.js';
import { DEFAULT_CEDAR_POLICY } from '../src/access/authz/default-policy.js';
import type { AuthzAction, AuthzRequest } from '../src/access/authz/authz-types.js';
import { checkAdminAccess, checkRollbackAccess } from '../src/access/check-access.js';
import { checkApproval } from '../src/conductor/check-approval.js';
import type { PlanRecord } from '../src/plan/plan-record.js';
import { percentile } from './bench-util.js';

// Who may do what: the policy engine's cost per decision, next to the hard-coded checks it
// replaces, over the same 10,000 requests (people × actions × plans on four targets).

const N = 10_000;
const SHA = 'a'.repeat(64);
const TARGETS = ['aws', 'sandbox', 'dns', 'proxmox'] as const;
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'mallory'];
const ACTIONS: AuthzAction[] = ['approve', 'reject', 'rollback', 'unlock'];
const CUSTOM = `@id("approvers-decide")
permit (principal in Group::"approvers", action in [Action::"approve", Action::"reject"], resource);
@id("four-eyes")
forbid (principal, action == Action::"approve", resource)
when { resource has requestedBy && principal == resource.requestedBy };
@id("contractors-not-on-aws")
forbid (principal in Group::"contractors", action == Action::"approve", resource)
when { resource.target == "aws" && resource.monthlyUsd > 100 };
@id("rollback")
permit (principal in Group::"approvers", action == Action::"rollback", resource);
@id("unlock")
permit (principal in Group::"approvers", action == Action::"unlock", resource);
`;

function plans(): PlanRecord[] {
  return TARGETS.map((target, i) => ({
    id: `p-${i}`,
    state: 'WAIT_FOR_APPROVE',
    goal: 'g',
    requestedBy: PEOPLE[i % PEOPLE.length]!,
    createdAt: '2026-12-01T00:00:00Z',
    updatedAt: '2026-12-01T00:00:00Z',
    stack: `s-${i}`,
    planSha256: SHA,
    summary: { create: 1, update: 0, replace: i % 2, delete: 0, noop: 0 },
    spec: {
      blueprint: 'dns-record',
      stack: `s-${i}`,
      target,
      params: {},
      risk: { destructive: false, level: 'low' },
    } as unknown as PlanRecord['spec'],
  }));
}

function requests(): AuthzRequest[] {
  const ps = plans();
  return Array.from({ length: N }, (_, i) => ({
    by: PEOPLE[i % PEOPLE.length]!,
    action: ACTIONS[Math.floor(i / PEOPLE.length) % ACTIONS.length]!,
    plan: ps[i % ps.length]!,
  }));
}

const rules = { approvers: ['bob', 'carol', 'dave'], allowSelfApproval: false };
const now = new Date('2026-12-01T00:10:00Z');

/** The checks the crew had before the policy engine. */
function hardCoded(r: AuthzRequest): boolean {
  const plan = r.plan!;
  if (r.action === 'approve' || r.action === 'reject')
    return checkApproval(plan, { decision: r.action, by: r.by, planSha256: SHA, now }, rules).ok;
  if (r.action === 'rollback') return checkRollbackAccess(rules, plan, r.by) === undefined;
  return checkAdminAccess(rules, r.by, 'unlock stacks') === undefined;
}

async function measure(reqs: AuthzRequest[], decide: (r: AuthzRequest) => unknown): Promise<number[]> {
  for (const r of reqs.slice(0, 500)) await decide(r); // warm-up: JIT, parsed policy sets
  const times: number[] = [];
  for (const r of reqs) {
    const t0 = performance.now();
    await decide(r);
    times.push(performance.now() - t0);
  }
  return times;
}

const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

export async function benchAuthz(): Promise<string> {
  const reqs = requests();
  const base = await measure(reqs, hardCoded);
  const b50 = percentile(base, 0.5);
  const b99 = percentile(base, 0.99);
  const line = (name: string, t: number[]) => {
    const p50 = percentile(t, 0.5);
    const p99 = percentile(t, 0.99);
    return `${name.padEnd(40)} p50 ${us(p50).padStart(10)}  p99 ${us(p99).padStart(10)}  (${(p50 / b50).toFixed(0)}× / ${(p99 / b99).toFixed(0)}× the baseline)`;
  };
  const builtIn = await measure(reqs, (r) => authorize(rules, r));
  // The same built-in text handed to Cedar (as a site's file would be): what the compiled form saves.
  const builtInCedar = await measure(reqs, (r) =>
    authorize({ ...rules, authz: { cedar: { text: DEFAULT_CEDAR_POLICY, source: 'bench' } } }, r),
  );
  const custom = await measure(reqs, (r) =>
    authorize({ ...rules, authz: { cedar: { text: CUSTOM, source: 'bench' }, groups: { contractors: ['dave'] } } }, r),
  );
  // OPA's Data API answered by a loopback stand-in: the HTTP round trip a site's OPA adds at least.
  const opa = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{"result":{"allow":true}}');
    });
  });
  await new Promise<void>((r) => opa.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(opa.address() as AddressInfo).port}/v1/data/crew/authz`;
  let viaOpa: number[];
  try {
    viaOpa = await measure(reqs, (r) => authorize({ ...rules, authz: { opaUrl: url } }, r));
  } finally {
    await new Promise<void>((r) => opa.close(() => r()));
  }
  return [
    `${N.toLocaleString('en')} requests (${PEOPLE.length} people × ${ACTIONS.length} actions × ${TARGETS.length} plans), one at a time`,
    `${'hard-coded checks (baseline)'.padEnd(40)} p50 ${us(b50).padStart(10)}  p99 ${us(b99).padStart(10)}`,
    line('built-in policy, compiled form', builtIn),
    line('built-in policy text, by Cedar', builtInCedar),
    line('Cedar, 5-policy file with a group', custom),
    line('OPA Data API (loopback stand-in)', viaOpa),
  ].join('\n');
}
