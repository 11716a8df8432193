import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemas } from '../../../contracts/render-schemas.js';
import { checkArtifact, checkPlanSpec, ARTIFACT_TYPES } from '../../../contracts/index.js';
import { repoPath } from '../../support/paths.js';

const envelope = (type: string, payload: unknown) => ({
  id: 'art-0000001',
  type,
  version: '0.1',
  planId: 'p-test1',
  producer: 'test',
  createdAt: '2026-11-21T10:00:00.000Z',
  payload,
});

const spec = {
  blueprint: 'aws-spot-ollama',
  stack: 'ollama-dev',
  target: 'sandbox',
  region: 'us-east-1',
  params: {
    instanceTypes: ['g4dn.xlarge'],
    minSize: 0,
    maxSize: 2,
    desiredCapacity: 1,
    onDemandBase: 0,
    vpcCidr: '10.42.0.0/16',
    privateSubnetCidrs: ['10.42.1.0/24'],
    ollamaPort: 11434,
    allowedCidrs: ['10.42.0.0/16'],
    volumeGb: 100,
  },
  budget: { monthlyUsd: 300, brakeRatio: 0.8 },
  risk: { destructive: false, level: 'low' },
  rationale: [],
  diagram: 'graph TD',
  parsedBy: 'rules',
};

describe('contracts', () => {
  it('generated JSON schema files are fresh (run `npm run contracts:gen`)', () => {
    const dir = repoPath('contracts', 'json');
    const expected = renderSchemas();
    expect(readdirSync(dir).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, text] of Object.entries(expected)) expect(readFileSync(join(dir, file), 'utf8'), file).toBe(text);
  });

  it('has a payload schema for every artifact type of the design', () => {
    expect(ARTIFACT_TYPES.sort()).toEqual(
      [
        'ApplyRequest',
        'ApplyResult',
        'ApprovalDecision',
        'BuildStatus',
        'CostDigest',
        'DesignBlocked',
        'GoalStatement',
        'OpsEvent',
        'PlanSpec',
        'RollbackRequest',
        'RollbackResult',
        'ValidateRequest',
        'ValidationResult',
      ].sort(),
    );
  });

  it('accepts a valid PlanSpec artifact', () => {
    const r = checkArtifact(envelope('PlanSpec', spec));
    expect(r).toEqual({ ok: true, value: envelope('PlanSpec', spec) });
  });

  it('names the field that is wrong in a PlanSpec', () => {
    const bad = { ...spec, params: { ...spec.params, allowedCidrs: ['999.1.1.1/8'] } };
    const r = checkPlanSpec(bad);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('PlanSpec.params.allowedCidrs.0');
  });

  it('refuses an unknown blueprint with the list of known ones', () => {
    const r = checkPlanSpec({ ...spec, blueprint: 'nope' });
    expect(!r.ok && r.reason).toBe(
      'PlanSpec.blueprint: must be one of aws-spot-ollama, asg-schedule, proxmox-k3s, dns-record',
    );
  });

  it('refuses an envelope with an unknown field, a wrong version or an unknown type', () => {
    expect(checkArtifact({ ...envelope('OpsEvent', { kind: 'heartbeat', detail: '' }), extra: 1 })).toEqual({
      ok: false,
      reason: 'envelope artifact: unknown field "extra"',
    });
    expect(checkArtifact({ ...envelope('OpsEvent', { kind: 'heartbeat', detail: '' }), version: '0.2' }).ok).toBe(
      false,
    );
    expect(checkArtifact(envelope('Nope', {})).ok).toBe(false);
    expect(checkArtifact('not an object').ok).toBe(false);
  });

  it('checks the payload against its type', () => {
    const r = checkArtifact(envelope('ApprovalDecision', { decision: 'approve', by: 'bob', planSha256: 'xyz' }));
    expect(!r.ok && r.reason).toMatch(/^ApprovalDecision payload\.planSha256: must match pattern/);
  });
});
