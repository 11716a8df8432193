import { afterEach, describe, expect, it } from 'vitest';
import { checkPlanSpec, type PlanSpec } from '../../../../contracts/index.js';
import { draftPlan } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx } from './atlas-fixtures.js';
import { OllamaStandIn } from '../../../support/ollama-stand-in.js';

// What the model may keep of its reply is tied to the person's words by meaning: parsed
// networks, whole names and the values the parser read, never by searching the goal's text.

const base = {
  instanceTypes: ['g4dn.xlarge'],
  minSize: 0,
  maxSize: 1,
  desiredCapacity: 1,
  onDemandBase: 0,
  vpcCidr: '10.0.0.0/16',
  privateSubnetCidrs: ['10.0.0.0/20', '10.0.16.0/20'],
  ollamaPort: 11434,
  allowedCidrs: ['10.0.0.0/16'],
  volumeGb: 100,
};

let standIn: OllamaStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function withReply(goal: string, reply: Record<string, unknown>, stacks = false): Promise<PlanSpec> {
  standIn = new OllamaStandIn([{ content: JSON.stringify(reply) }]);
  const host = await standIn.start();
  const out = await draftPlan(goal, makeCtx(stacks, { llm: { host, model: 'llama3.1:8b', timeoutMs: 5000 } }));
  if (out.kind !== 'spec') throw new Error(`expected a spec: ${JSON.stringify(out)}`);
  expect(checkPlanSpec(out.spec).ok).toBe(true);
  expect(out.spec.parsedBy).toBe('llm');
  return out.spec;
}

function aws(s: PlanSpec) {
  if (s.blueprint !== 'aws-spot-ollama') throw new Error(`expected aws-spot-ollama, got ${s.blueprint}`);
  return s.params;
}

describe('grounding the model reply in the goal', () => {
  it('compares CIDRs as parsed networks: 0.0.0.0/1 and 10.0.0.0/1 are not the 10.0.0.0/16 the goal names', async () => {
    const goal = 'private Ollama on spot g4dn.xlarge in VPC 10.0.0.0/16, reachable from 10.0.0.0/16';
    const s = await withReply(goal, { ...base, allowedCidrs: ['0.0.0.0/1', '10.0.0.0/1', '10.0.0.0/16'] });
    expect(aws(s).allowedCidrs).toEqual(['10.0.0.0/16']);
    expect(s.rationale.join('\n')).toContain("Dropped allowed CIDR(s) 0.0.0.0/1, 10.0.0.0/1 from the model's reply");
  });

  it('does not move the VPC to a network that is only a substring of one the goal names', async () => {
    const goal = 'private Ollama on spot g4dn.xlarge, reachable from 10.0.0.0/16';
    const s = await withReply(goal, {
      ...base,
      vpcCidr: '0.0.0.0/1',
      privateSubnetCidrs: ['0.0.0.0/20', '0.0.16.0/20'],
      allowedCidrs: ['10.0.0.0/16'],
    });
    expect(aws(s).vpcCidr).toBe('10.42.0.0/16');
    expect(aws(s).privateSubnetCidrs).toEqual(['10.42.0.0/20', '10.42.16.0/20']);
  });

  it('keeps only CIDRs the person wrote when the goal names none as allowed, matching a bare address as /32', async () => {
    const s = await withReply('private Ollama on spot g4dn.xlarge, my laptop is 10.42.7.9', {
      ...base,
      vpcCidr: '10.42.0.0/16',
      privateSubnetCidrs: ['10.42.0.0/20', '10.42.16.0/20'],
      allowedCidrs: ['10.42.7.9/32', '10.42.7.0/24'],
    });
    expect(aws(s).allowedCidrs).toEqual(['10.42.7.9/32']);
  });

  it('takes the parser\'s port: a 22 in "Friday 22:00" is not the port 22', async () => {
    const s = await withReply('private Ollama on spot g4dn.xlarge, off Friday 22:00 until Monday 07:00', {
      ...base,
      vpcCidr: '10.42.0.0/16',
      privateSubnetCidrs: ['10.42.0.0/20', '10.42.16.0/20'],
      allowedCidrs: ['10.42.0.0/16'],
      ollamaPort: 22,
    });
    expect(aws(s).ollamaPort).toBe(11434);
  });

  it("lets an explicit instance type, count and disk size from the person win over the model's", async () => {
    const goal = 'private Ollama on spot g4dn.xlarge, 2 instances, 200 GB disk, model llama3.1:8b';
    const s = await withReply(goal, {
      ...base,
      instanceTypes: ['g4dn.2xlarge'],
      maxSize: 4,
      desiredCapacity: 4,
      volumeGb: 500,
      model: 'llama3.1:70b',
      vpcCidr: '10.42.0.0/16',
      privateSubnetCidrs: ['10.42.0.0/20', '10.42.16.0/20'],
      allowedCidrs: ['10.42.0.0/16'],
    });
    const p = aws(s);
    expect([p.instanceTypes, p.desiredCapacity, p.maxSize, p.volumeGb, p.model]).toEqual([
      ['g4dn.xlarge'],
      2,
      2,
      200,
      'llama3.1:8b',
    ]);
    expect(s.rationale.join('\n')).toContain(
      'Kept instance types ["g4dn.xlarge"] as the goal states it; the model\'s ["g4dn.2xlarge"] was not used.',
    );
  });

  it('still takes what the person left open from the model', async () => {
    const s = await withReply('private Ollama on spot g4dn.xlarge', {
      ...base,
      minSize: 0,
      maxSize: 3,
      desiredCapacity: 2,
      volumeGb: 150,
      vpcCidr: '10.42.0.0/16',
      privateSubnetCidrs: ['10.42.0.0/20', '10.42.16.0/20'],
      allowedCidrs: ['10.42.0.0/16'],
    });
    expect([aws(s).desiredCapacity, aws(s).maxSize, aws(s).volumeGb]).toEqual([2, 3, 150]);
  });

  it('matches Proxmox names as whole words: node "pv" is not in "pve2", bridge "vmbr" not in "vmbr01"', async () => {
    const reply = {
      servers: 3,
      workers: 2,
      gpuWorkers: 1,
      vmTemplate: 'ubuntu-2404-cloud',
      node: 'pv',
      cores: 4,
      memoryMb: 8192,
      diskGb: 64,
      network: 'vmbr',
    };
    const s = await withReply(
      'k3s on proxmox, 3 servers and 2 workers, one with a GPU, hosted on pve2 behind vmbr01',
      reply,
    );
    if (s.blueprint !== 'proxmox-k3s') throw new Error(s.blueprint);
    // "on pve2" names the Proxmox host: the parser's node, which the model's "pv" does not replace.
    expect([s.params.node, s.params.network]).toEqual(['pve2', 'vmbr01']);
    expect(s.rationale.join('\n')).not.toMatch(/node pv\b(?!e)/);
  });

  it('takes an unstated Proxmox name from the model when the goal has it as a whole word', async () => {
    const reply = {
      servers: 3,
      workers: 2,
      gpuWorkers: 1,
      vmTemplate: 'ubuntu-2404-cloud',
      node: 'pve2',
      cores: 4,
      memoryMb: 8192,
      diskGb: 64,
      network: 'vmbr0',
    };
    const s = await withReply('k3s on proxmox, 3 servers and 2 workers, one with a GPU, hosted on pve2', reply);
    expect(s.blueprint === 'proxmox-k3s' && s.params.node).toBe('pve2');
  });

  it("keeps the parser's TTL: the 192 of an address is not a TTL", async () => {
    const s = await withReply('Add DNS record test.local to 192.168.1.100', {
      zone: 'local',
      name: 'test',
      type: 'A',
      value: '192.168.1.100',
      ttl: 192,
      action: 'add',
    });
    expect(s.blueprint === 'dns-record' && s.params.ttl).toBe(300);
  });
});
