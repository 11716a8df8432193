import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlanObject, readPlanJson } from '../../../../src/agents/sentinel/plan/read-plan.js';
import { buildPlan } from './plan-builder.js';
import { fixturePath } from '../../../support/load-fixture.js';

const text = readFileSync(fixturePath('aws-spot-ollama-pass.json'), 'utf8');

describe('readPlanJson', () => {
  it('reads a plan: changes, configuration, region from a variable', () => {
    const r = readPlanJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect(r.plan.formatVersion).toBe('1.2');
    expect(r.plan.terraformVersion).toBe('1.11.4');
    expect(r.plan.region).toBe('us-east-1');
    expect(r.plan.changes).toHaveLength(11);
    const subnet = r.plan.changes.find((c) => c.type === 'aws_subnet');
    expect(subnet).toMatchObject({
      address: 'aws_subnet.private[0]',
      configKey: 'aws_subnet.private',
      index: 0,
      kind: 'create',
      mode: 'managed',
    });
    expect(r.plan.configResources.get('aws_subnet.private')?.expressions.vpc_id).toEqual({
      references: ['aws_vpc.main.id', 'aws_vpc.main'],
    });
  });

  it('reads child modules, keyed instances, replace actions, prior state and drift', () => {
    const doc = buildPlan([
      {
        address: 'module.net["eu"].aws_vpc.this[0]',
        after: { cidr_block: '10.0.0.0/16' },
        config: { cidr_block: { constant_value: '10.0.0.0/16' } },
      },
      { address: 'aws_nat_gateway.main', actions: ['create', 'delete'], before: { id: 'nat-1' }, after: {} },
    ]);
    doc.prior_state = {
      format_version: '1.0',
      values: {
        root_module: {
          resources: [],
          child_modules: [
            {
              address: 'module.net["eu"]',
              resources: [
                {
                  address: 'module.net["eu"].aws_vpc.this[0]',
                  mode: 'managed',
                  type: 'aws_vpc',
                  name: 'this',
                  values: { id: 'vpc-1' },
                },
              ],
            },
          ],
        },
      },
    };
    doc.resource_drift = [
      {
        address: 'aws_nat_gateway.main',
        mode: 'managed',
        type: 'aws_nat_gateway',
        name: 'main',
        change: { actions: ['update'], before: { id: 'nat-1' }, after: { id: 'nat-1' } },
      },
    ];
    const r = parsePlanObject(doc);
    if (!r.ok) throw new Error(r.reason);
    expect(r.plan.changes[0]).toMatchObject({
      moduleAddress: 'module.net["eu"]',
      configKey: 'module.net.aws_vpc.this',
      kind: 'create',
    });
    expect(r.plan.changes[1]?.kind).toBe('replace');
    expect(r.plan.priorResources.map((p) => [p.address, p.configKey])).toEqual([
      ['module.net["eu"].aws_vpc.this[0]', 'module.net.aws_vpc.this'],
    ]);
    expect(r.plan.drift.map((d) => d.address)).toEqual(['aws_nat_gateway.main']);
    expect(r.plan.configResources.has('module.net.aws_vpc.this')).toBe(true);
  });

  it('takes a literal provider region and leaves it undefined when absent', () => {
    const r = parsePlanObject(buildPlan([], { region: 'eu-west-1' }));
    expect(r.ok && r.plan.region).toBe('eu-west-1');
    const none = parsePlanObject(buildPlan([], { providers: {} }));
    expect(none.ok && none.plan.region).toBeUndefined();
  });

  it('rejects another major format version', () => {
    expect(readPlanJson(JSON.stringify({ format_version: '2.0', resource_changes: [] }))).toEqual({
      ok: false,
      reason: 'plan.json: format_version 2.0 is not supported (expected 1.x)',
    });
  });

  it('reports a truncated file with the position it stopped at', () => {
    const cut = '{"format_version": "1.2", "resource_changes": [';
    expect(readPlanJson(cut)).toEqual({
      ok: false,
      reason: `plan.json is truncated or not JSON: Unexpected end of JSON input at position ${cut.length}`,
    });
    const midString = readPlanJson(text.slice(0, 1000));
    expect(!midString.ok && midString.reason).toMatch(/^plan\.json is truncated or not JSON: .*position 1000/);
  });

  it('reports invalid JSON, empty input and things that are not plans', () => {
    const bad = readPlanJson('{"format_version": "1.2", }', 'x.json');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/^x\.json is truncated or not JSON: /);
    expect(readPlanJson('  \n')).toEqual({ ok: false, reason: 'plan.json is empty' });
    expect(readPlanJson('[1,2]')).toEqual({ ok: false, reason: 'not a Terraform plan: expected a JSON object' });
    expect(readPlanJson('{"resource_changes": []}')).toEqual({
      ok: false,
      reason: 'not a Terraform plan: missing format_version',
    });
    expect(readPlanJson('{"format_version": "1.0"}')).toEqual({
      ok: false,
      reason: 'not a Terraform plan: missing resource_changes',
    });
    expect(readPlanJson('{"format_version": "1.0", "values": {}}')).toEqual({
      ok: false,
      reason:
        'not a Terraform plan: missing resource_changes (this looks like state: run terraform show -json on a saved plan file)',
    });
    expect(
      readPlanJson(
        '{"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": []}}]}',
      ),
    ).toEqual({
      ok: false,
      reason: 'plan.json: resource_changes[0].change.actions: must be a non-empty list of strings',
    });
  });

  it('accepts a byte-order mark and a plan with no changes', () => {
    const r = readPlanJson('\ufeff{"format_version": "1.2", "planned_values": {"root_module": {}}}');
    expect(r.ok && r.plan.changes).toEqual([]);
  });

  it('reads a huge plan (20,000 changes) quickly', () => {
    const changes = Array.from({ length: 20_000 }, (_, i) => ({
      address: `aws_subnet.s[${i}]`,
      after: { cidr_block: `10.${i % 250}.0.0/24`, map_public_ip_on_launch: false },
    }));
    const big = JSON.stringify(buildPlan(changes));
    const t0 = performance.now();
    const r = readPlanJson(big);
    expect(r.ok && r.plan.changes.length).toBe(20_000);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});
