import type { ArtifactType } from '../../contracts/index.js';

// One valid payload per artifact type: each bad case is a valid one with one thing broken, so
// the refusal can only be about that thing.

export const SHA = 'a'.repeat(64);
const FILE = { path: '/data/plans/p-test1/plan.tfplan', sha256: SHA };

export const SPECS = {
  'aws-spot-ollama': {
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
  },
  'asg-schedule': {
    blueprint: 'asg-schedule',
    stack: 'sched-ollama',
    target: 'aws',
    params: {
      asgName: 'ollama-dev-asg',
      schedule: {
        stop: { day: 'FRI', time: '22:00' },
        start: { day: 'MON', time: '07:00' },
        timezone: 'Europe/Berlin',
      },
    },
    budget: { monthlyUsd: null, brakeRatio: 0.8 },
    risk: { destructive: false, level: 'low' },
    rationale: ['weekend'],
    diagram: 'graph TD',
    parsedBy: 'rules',
  },
  'proxmox-k3s': {
    blueprint: 'proxmox-k3s',
    stack: 'k3s-lab',
    target: 'proxmox',
    params: {
      servers: 3,
      workers: 2,
      gpuWorkers: 0,
      vmTemplate: 'ubuntu-2404-cloud',
      node: 'pve',
      cores: 4,
      memoryMb: 8192,
      diskGb: 64,
      network: 'vmbr0',
    },
    budget: { monthlyUsd: null, brakeRatio: 0.8 },
    risk: { destructive: false, level: 'medium' },
    rationale: [],
    diagram: 'graph TD',
    parsedBy: 'llm',
    tokens: { prompt: 10, completion: 5 },
  },
  'dns-record': {
    blueprint: 'dns-record',
    stack: 'dns-local',
    target: 'dns',
    params: { zone: 'local', name: 'test', type: 'A', value: '192.168.1.100', ttl: 300, action: 'add' },
    budget: { monthlyUsd: 0, brakeRatio: 1 },
    risk: { destructive: false, level: 'low' },
    rationale: [],
    diagram: 'graph TD',
    parsedBy: 'rules',
  },
} as const;

const COST = {
  monthlyUsd: 10,
  previousMonthlyUsd: 0,
  diffMonthlyUsd: 10,
  resources: [
    {
      address: 'aws_instance.x',
      type: 'aws_instance',
      monthlyUsd: 10,
      previousMonthlyUsd: 0,
      components: [{ name: 'compute', unit: 'hours', quantity: 730, price: 0.0137, monthly: 10 }],
    },
  ],
  unpriced: [],
};
const BUDGET = { monthlyUsd: 300, spentUsd: 0, forecastUsd: 10, ratio: 0.03, brakeRatio: 0.8, brake: false };

export const PAYLOADS: Record<ArtifactType, Record<string, unknown>> = {
  GoalStatement: {
    text: 'private Ollama on spot g4dn.xlarge',
    requestedBy: 'alice',
    channel: 'C0REVIEW',
    target: 'aws',
    budgetUsd: 300,
    stack: 'ollama-dev',
  },
  PlanSpec: structuredClone(SPECS['aws-spot-ollama']) as unknown as Record<string, unknown>,
  DesignBlocked: { reason: 'nothing fits', rationale: ['a', 'b'], attempts: 1 },
  BuildStatus: { phase: 'plan', ok: true, detail: 'planned 3 to add', durationMs: 1200 },
  ValidateRequest: {
    stack: 'ollama-dev',
    planFile: FILE,
    planJson: { path: '/data/plans/p-test1/plan.json', sha256: SHA },
    summary: { create: 3, update: 0, replace: 0, delete: 0, noop: 1 },
  },
  ValidationResult: {
    verdict: 'PASS',
    findings: [{ ruleId: 'CKV_AWS_24', severity: 'LOW', address: 'aws_instance.x', message: 'm' }],
    cost: COST,
    budget: BUDGET,
    planSha256: SHA,
  },
  ApprovalDecision: { decision: 'approve', by: 'bob', planSha256: SHA, reason: 'looks fine' },
  ApplyRequest: { stack: 'ollama-dev', planSha256: SHA, planFile: FILE, approvedBy: 'bob' },
  ApplyResult: { result: 'APPLY_DONE', planSha256: SHA, outputs: { asg: 'x' }, detail: 'ok' },
  RollbackRequest: { stack: 'ollama-dev', toVersion: 0, by: 'alice', reason: 'undo' },
  RollbackResult: { result: 'ROLLED_BACK', startedAt: '2026-11-21T10:00:00.000Z', finishedAt: '2026-11-21T10:01:00Z' },
  OpsEvent: {
    kind: 'transition',
    detail: 'x',
    stack: 'ollama-dev',
    agent: 'conductor',
    from: 'DRAFTING',
    to: 'PLANNING',
    by: 'atlas',
  },
  CostDigest: {
    period: { from: '2026-11-01T00:00:00Z', to: '2026-11-30T23:59:59Z' },
    stacks: [{ stack: 'ollama-dev', monthlyUsd: 10, spotSavingsUsd: 20, offHoursSavingsUsd: 5 }],
    spend: 10,
    forecast: 12,
    budget: null,
    savings: 25,
  },
};

export function envelope(type: string, payload: unknown, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'art-0000001',
    type,
    version: '0.1',
    planId: 'p-test1',
    producer: 'test',
    createdAt: '2026-11-21T10:00:00.000Z',
    payload,
    ...over,
  };
}

/** A deep copy of `base` with the value at a dotted path replaced (or removed, for undefined). */
export function withPath(base: unknown, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}
