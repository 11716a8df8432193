import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPayload, type ValidationResult } from '../../../../contracts/index.js';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { readPlanJson } from '../../../../src/agents/sentinel/plan/read-plan.js';
import { parsePolicy } from '../../../../src/agents/sentinel/policy/parse-policy.js';
import { runCheckCommand } from '../../../../src/cli/check-command.js';
import { fixturePath } from '../../../support/load-fixture.js';

// Names that exist on every plain object's prototype: a lookup like PRICES[type] finds them
// there (a function) unless the table has no prototype or the key is checked as its own.
const NAMES = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'] as const;
const NOW = new Date('2026-11-21T10:00:00Z');

/** A plan with every kind of user-chosen string set to a prototype name. Written as JSON text: an object literal would set a real prototype. */
function hostilePlanText(region = 'us-east-1'): string {
  const doc = JSON.parse(readFileSync(fixturePath('aws-spot-ollama-pass.json'), 'utf8')) as {
    resource_changes: unknown[];
    variables?: unknown;
    configuration: { provider_config?: unknown };
  };
  const changes = NAMES.flatMap((n) => [
    // A resource type and name nobody prices, with attributes named like prototype members.
    `{"address":"${n}.${n}","mode":"managed","type":"${n}","name":"${n}","provider_name":"registry.terraform.io/hashicorp/aws",
      "change":{"actions":["create"],"before":null,"after":{"${n}":"${n}","instance_type":"${n}","type":"${n}","tags":{"${n}":"x"}},"after_unknown":{"${n}":false}}}`,
    // A priced type whose price keys (instance type, volume type) are prototype names.
    `{"address":"aws_instance.i_${n.replace(/_/g, '')}","mode":"managed","type":"aws_instance","name":"i_${n.replace(/_/g, '')}","provider_name":"registry.terraform.io/hashicorp/aws",
      "change":{"actions":["create"],"before":null,"after":{"instance_type":"${n}","associate_public_ip_address":false,"metadata_options":[{"http_tokens":"required","http_put_response_hop_limit":1,"http_endpoint":"enabled"}],"root_block_device":[{"encrypted":true,"volume_type":"${n}","volume_size":8}]},"after_unknown":{}}}`,
    `{"address":"aws_ebs_volume.v_${n.replace(/_/g, '')}","mode":"managed","type":"aws_ebs_volume","name":"v_${n.replace(/_/g, '')}","provider_name":"registry.terraform.io/hashicorp/aws",
      "change":{"actions":["create"],"before":null,"after":{"type":"${n}","size":10,"encrypted":true},"after_unknown":{}}}`,
    // Deleting a resource whose type is a prototype name: the stateful-destroy table is looked up.
    `{"address":"${n}.gone","mode":"managed","type":"${n}","name":"gone","provider_name":"registry.terraform.io/hashicorp/aws",
      "change":{"actions":["delete"],"before":{"${n}":1},"after":null,"after_unknown":{}}}`,
  ]);
  const base = JSON.stringify(doc.resource_changes).slice(1, -1);
  // The provider's region comes from var.region; root variables with prototype names beside it.
  const fixtureVariables = JSON.stringify({ ...(doc.variables as object), region: { value: region } }).slice(1, -1);
  const variables = `{${fixtureVariables},${NAMES.map((n) => `"${n}":{"value":"${n}"}`).join(',')}}`;
  const text = JSON.stringify({ ...doc, resource_changes: '@@CHANGES@@', variables: '@@VARIABLES@@' });
  return text.replace('"@@CHANGES@@"', `[${base},${changes.join(',')}]`).replace('"@@VARIABLES@@"', variables);
}

function evaluate(text: string, policyText?: string): ValidationResult {
  const read = readPlanJson(text, 'hostile.json');
  if (!read.ok) throw new Error(read.reason);
  const policy = policyText === undefined ? undefined : parsePolicy(policyText, 'policy.yaml');
  if (policy && !policy.ok) throw new Error(policy.reason);
  return evaluatePlan(read.plan, { now: NOW, ...(policy?.ok ? { policy: policy.policy } : {}) });
}

describe('Sentinel with keys named like Object.prototype members', () => {
  it('gives a verdict, not a crash, and lists the resources it cannot price', () => {
    const result = evaluate(hostilePlanText());
    expect(checkPayload('ValidationResult', result, 'result').ok).toBe(true);
    expect(['PASS', 'FAIL']).toContain(result.verdict);
    const unpriced = new Map(result.cost.unpriced.map((u) => [u.address, u.reason]));
    for (const n of NAMES) {
      expect(unpriced.get(`${n}.${n}`)).toBe(`no price model for ${n}`);
      expect(unpriced.get(`aws_instance.i_${n.replace(/_/g, '')}`)).toBe(
        `no on-demand price for ${n} in us-east-1 in the price file (the rest is priced)`,
      );
      expect(unpriced.get(`aws_ebs_volume.v_${n.replace(/_/g, '')}`)).toBe(
        `no price for EBS volume type ${n} in us-east-1`,
      );
    }
    // The fixture's own resources are still priced as before.
    expect(result.cost.resources.find((r) => r.address === 'aws_autoscaling_group.ollama')?.monthlyUsd).toBeGreaterThan(
      0,
    );
    // Deleting a resource of an unknown type is not mistaken for a stateful loss.
    expect(result.findings.filter((f) => f.ruleId === 'CREW_STATEFUL_DESTROY')).toEqual([]);
    expect(Number.isFinite(result.cost.monthlyUsd)).toBe(true);
  });

  it('treats a region named like a prototype member as a region without prices', () => {
    for (const n of NAMES) {
      const result = evaluate(hostilePlanText(n));
      expect(result.cost.unpriced.some((u) => u.reason.startsWith(`no prices for region ${n} `))).toBe(true);
      expect(result.cost.monthlyUsd).toBe(0);
    }
  });

  it('reads attributes named like prototype members as unset unless the plan sets them', () => {
    const policy = [
      'rules:',
      ...NAMES.filter((n) => n !== '__proto__').map((n) =>
        [
          `  - id: ORG_${n.toUpperCase()}`,
          '    resourceTypes: [aws_vpc]',
          `    attribute: ${n}`,
          '    operator: exists',
          '    severity: MEDIUM',
          `    message: set ${n}`,
        ].join('\n'),
      ),
    ].join('\n');
    const result = evaluate(hostilePlanText(), policy);
    for (const n of NAMES.filter((x) => x !== '__proto__')) {
      const f = result.findings.find((x) => x.ruleId === `ORG_${n.toUpperCase()}`);
      expect(f?.message).toBe(`set ${n} (${n} is not set)`);
    }
  });

  it('crew check prints a verdict for such a plan (exit 0 or 2, never 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crew-proto-'));
    const file = join(dir, 'hostile.json');
    writeFileSync(file, hostilePlanText());
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCheckCommand(
      file,
      { json: true },
      { out: (s) => out.push(s), err: (s) => err.push(s) },
    ).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(err).toEqual([]);
    expect([0, 2]).toContain(code);
    const json = JSON.parse(out.join('\n')) as ValidationResult;
    expect(json.cost.unpriced.map((u) => u.address)).toEqual(expect.arrayContaining(NAMES.map((n) => `${n}.${n}`)));
  });
});
