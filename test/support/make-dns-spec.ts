import type { DnsRecordParams, PlanSpec } from '../../contracts/index.js';

/** A dns-record PlanSpec as Atlas makes it for "Add DNS record test.local to 192.168.1.100". */
export function makeDnsSpec(params: Partial<DnsRecordParams> = {}): PlanSpec {
  return {
    blueprint: 'dns-record',
    stack: 'dns-local',
    target: 'dns',
    params: { zone: 'local', name: 'test', type: 'A', value: '192.168.1.100', ttl: 300, action: 'add', ...params },
    budget: { monthlyUsd: null, brakeRatio: 0.8 },
    risk: { destructive: params.action === 'remove', level: 'low' },
    rationale: [],
    diagram: 'flowchart LR\n  a --> b',
    parsedBy: 'rules',
  };
}
