import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidationResult } from '../../contracts/index.js';
import type { CrewRuntime } from '../../src/runtime/start-crew.js';

/** Markup that must stay text on the plan page: it would run script or add an element if it were not escaped. */
export const XSS = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><b id="injected">bold</b> & 'q'`;

/** `count` resource changes with distinct addresses, as `terraform show -json` lists them. */
export function changeAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `aws_route53_record.r${String(i).padStart(3, '0')}["host-${i}.lab"]`);
}

function validation(addresses: string[]): ValidationResult {
  return {
    verdict: 'FAIL',
    findings: [
      {
        ruleId: 'CKV_AWS_24',
        severity: 'HIGH',
        address: addresses[0]!,
        message: `ingress from 0.0.0.0/0 to port 22: allow port 22 only from the VPC CIDR ${XSS}`,
        refs: { checkov: ['CKV_AWS_24'], trivy: ['AWS-0107'] },
      },
      {
        ruleId: 'CKV2_AWS_11',
        severity: 'MEDIUM',
        address: 'aws_vpc.main',
        message: 'no flow log: add an aws_flow_log',
      },
    ],
    cost: {
      monthlyUsd: 12.5,
      previousMonthlyUsd: 2,
      diffMonthlyUsd: 10.5,
      resources: [
        {
          address: 'aws_instance.gpu',
          type: 'aws_instance',
          monthlyUsd: 12,
          previousMonthlyUsd: 2,
          components: [{ name: 'compute (spot)', unit: 'hours', quantity: 730, price: 0.0164, monthly: 12 }],
        },
        { address: addresses[1]!, type: 'aws_route53_record', monthlyUsd: 0.5, previousMonthlyUsd: 0, components: [] },
      ],
      unpriced: [{ address: 'aws_vpc.main', type: 'aws_vpc', reason: 'no charge' }],
    },
    budget: { monthlyUsd: 300, spentUsd: 0, forecastUsd: 12.5, ratio: 0.04, brakeRatio: 0.8, brake: false },
  };
}

/**
 * A plan waiting for approval whose goal carries XSS, with `count` changes in its saved plan JSON
 * (a file under `dir`), findings, a cost breakdown, a refusal in its audit.
 */
export async function makePagePlan(crew: CrewRuntime, dir: string, id: string, count: number): Promise<string[]> {
  const addresses = changeAddresses(count);
  const planJsonPath = join(dir, `${id}.plan.json`);
  const rows = addresses.map((address, i) => ({
    address,
    change: { actions: i % 10 === 0 ? ['delete', 'create'] : i % 3 === 0 ? ['update'] : ['create'] },
  }));
  writeFileSync(planJsonPath, JSON.stringify({ format_version: '1.2', resource_changes: rows }));
  const sha = 'd'.repeat(64);
  await crew.plans.create({ id, goal: `Add DNS records ${XSS}`, requestedBy: 'alice', stack: id });
  if (!(await crew.lock.acquire(id, id, async () => false)).ok) throw new Error(`stack ${id} is locked`);
  for (const e of ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const)
    await crew.plans.advance(
      id,
      e,
      'test',
      `${e} ${e === 'PLAN_SPEC' ? XSS : ''}`,
      e === 'PLAN_READY'
        ? {
            planSha256: sha,
            planJson: { path: planJsonPath, sha256: 'e'.repeat(64) },
            summary: {
              create: rows.filter((r) => r.change.actions.join() === 'create').length,
              update: rows.filter((r) => r.change.actions.join() === 'update').length,
              replace: rows.filter((r) => r.change.actions.length === 2).length,
              delete: 0,
              noop: 0,
            },
            validation: validation(addresses),
          }
        : {},
    );
  await crew.plans.audit(id, {
    by: 'alice',
    action: 'approve',
    refusal: `four-eyes: alice requested this plan ${XSS}`,
  });
  return addresses;
}
