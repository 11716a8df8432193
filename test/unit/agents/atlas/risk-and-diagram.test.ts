import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx } from './atlas-fixtures.js';

const risk = (goal: string, stacks = true) => {
  const out = parseGoal(goal, makeCtx(stacks));
  if (out.kind !== 'spec') throw new Error(JSON.stringify(out));
  return out.spec.risk;
};

describe('risk rule', () => {
  it.each([
    ['Add DNS record new.local to 10.0.0.1', { destructive: false, level: 'low' }],
    ['remove test.local', { destructive: true, level: 'medium' }],
    ['weekend schedule for asg a-asg', { destructive: false, level: 'low' }],
    ['cancel the weekend schedule for asg ollama-dev-asg', { destructive: true, level: 'medium' }],
    ['private Ollama on spot g4dn.xlarge, stack fresh-one', { destructive: false, level: 'medium' }],
    ['scale ollama-dev to zero', { destructive: true, level: 'high' }],
    ['drop the weekend schedule on ollama-dev', { destructive: true, level: 'medium' }],
    ['change ollama-dev model to qwen2.5:7b', { destructive: false, level: 'low' }],
    ['scale ollama-dev to 3', { destructive: false, level: 'medium' }],
    ['remove a worker from k3s-lab', { destructive: true, level: 'high' }],
  ])('%s', (goal, want) => {
    expect(risk(goal)).toEqual(want);
  });
});

describe('diagram', () => {
  it('draws the aws topology: VPC, subnets, spot ASG, SG port from the CIDRs', () => {
    const out = parseGoal('ollama on g4dn.xlarge from 10.0.0.0/8, off on weekends', makeCtx(false));
    if (out.kind !== 'spec') throw new Error('spec');
    const d = out.spec.diagram;
    expect(d.split('\n')[0]).toBe('graph TD');
    expect(d).toContain('VPC 10.42.0.0/16');
    expect(d).toContain('private subnet 10.42.0.0/20');
    expect(d).toContain('ASG spot g4dn.xlarge');
    expect(d).toMatch(/src0\(\("10\.0\.0\.0\/8"\)\) -->\|tcp 11434\| sg/);
    expect(d).toContain('schedule: stop FRI 22:00');
  });

  it('says what the group buys: Spot, on-demand, or an on-demand base beside Spot', () => {
    const diagram = (goal: string) => {
      const out = parseGoal(goal, makeCtx(false));
      if (out.kind !== 'spec') throw new Error(`${goal}: ${out.kind}`);
      return out.spec.diagram;
    };
    expect(diagram('private Ollama on 2 g4dn.xlarge, all on-demand, stack od-all')).toContain(
      'ASG on-demand g4dn.xlarge: min 0 / desired 2 / max 2',
    );
    expect(diagram('private Ollama on 3 g4dn.xlarge, 1 on-demand, stack od-one')).toContain(
      'ASG 1 on-demand + spot g4dn.xlarge',
    );
  });

  it('draws k3s servers and workers and a DNS zone → record', () => {
    const k = parseGoal('k3s on proxmox with 3 servers and 2 workers, one with a GPU', makeCtx(false));
    expect(k.kind === 'spec' && k.spec.diagram).toMatch(/k3s server 3[\s\S]*worker 2 \(GPU passthrough\)/);
    const d = parseGoal('Add DNS record test.local to 192.168.1.100', makeCtx(false));
    expect(d.kind === 'spec' && d.spec.diagram).toContain('zone["zone local"] -->|add| rec["A test.local TTL 300"]');
  });
});
