import { afterEach, describe, expect, it } from 'vitest';
import { draftPlan } from '../../../../src/agents/atlas/draft-plan.js';
import { mergeLlmParams } from '../../../../src/agents/atlas/merge-llm-params.js';
import { readWithRules } from '../../../../src/agents/atlas/parse-goal.js';
import { makeCtx } from './atlas-fixtures.js';
import { OllamaStandIn } from '../../../support/ollama-stand-in.js';

let standIn: OllamaStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

/**
 * Each row: a goal that states one field explicitly, and a model reply that tries to change
 * exactly that field. The merged params must keep what the person wrote.
 */
const ROWS: Array<[goal: string, field: string, modelValue: unknown]> = [
  ['ollama on g4dn.xlarge', 'instanceTypes', ['g4dn.2xlarge']],
  ['ollama on g5', 'instanceTypes', ['g5.12xlarge']],
  ['ollama on 3 instances', 'desiredCapacity', 2],
  ['ollama on 2 g4dn.xlarge', 'desiredCapacity', 1],
  ['ollama, at least 2 instances', 'minSize', 0],
  ['ollama, up to 4 instances', 'maxSize', 8],
  ['ollama on 2 to 6 g4dn.xlarge instances', 'maxSize', 10],
  ['ollama on spot with 1 on-demand and 3 instances', 'onDemandBase', 0],
  ['ollama in vpc 10.9.0.0/16', 'vpcCidr', '10.0.0.0/16'],
  ['ollama in vpc 10.9.0.0/16 with subnets 10.9.1.0/24 and 10.9.2.0/24', 'privateSubnetCidrs', ['10.9.0.0/20']],
  ['ollama reachable from 10.1.0.0/16', 'allowedCidrs', ['0.0.0.0/0']],
  ['ollama on port 8080', 'ollamaPort', 11434],
  ['ollama with a 200 GB disk', 'volumeGb', 500],
  ['ollama serving llama3.1:8b', 'model', 'llama3.1:70b'],
  [
    'ollama, off from Friday 20:00 to Monday 06:00',
    'schedule',
    { stop: { day: 'SAT', time: '00:00' }, start: { day: 'SUN', time: '23:00' }, timezone: 'UTC' },
  ],
  [
    'ollama, keep it running through the weekend',
    'schedule',
    { stop: { day: 'FRI', time: '22:00' }, start: { day: 'MON', time: '07:00' }, timezone: 'UTC' },
  ],
  [
    'weekend schedule for asg render-farm, stop Friday 19:00',
    'schedule',
    { stop: { day: 'FRI', time: '23:00' }, start: { day: 'MON', time: '07:00' }, timezone: 'UTC' },
  ],
  ['weekend schedule for asg render-farm', 'asgName', 'other-asg'],
  ['cancel the weekend shutdown for asg render-farm', 'remove', undefined],
  ['k3s on proxmox with 5 servers', 'servers', 3],
  ['k3s on proxmox with 4 workers', 'workers', 2],
  ['k3s on proxmox, 3 workers of which 2 have GPUs', 'gpuWorkers', 1],
  ['k3s on proxmox, 1 server, 4 agents, no GPU', 'gpuWorkers', 1],
  ['k3s on proxmox with 8 cores per node', 'cores', 4],
  ['k3s on proxmox with 16 GB RAM', 'memoryMb', 8192],
  ['k3s on proxmox with a 120 GB disk', 'diskGb', 64],
  ['k3s on proxmox on node pve2', 'node', 'pve'],
  ['k3s on proxmox from template debian-12', 'vmTemplate', 'ubuntu-2404-cloud'],
  ['k3s on proxmox on bridge vmbr1', 'network', 'vmbr0'],
  ['add DNS A record app.local -> 10.0.0.7', 'value', '10.0.0.8'],
  ['add DNS A record app.local -> 10.0.0.7', 'name', 'www'],
  ['add DNS A record app.local -> 10.0.0.7 ttl 60', 'ttl', 3600],
  ['remove DNS A record app.local 10.0.0.7', 'action', 'add'],
];

describe('the model fills gaps, never overrules the person', () => {
  it.each(ROWS)('%s: a reply changing %s keeps the written value', (goal, field, modelValue) => {
    const rr = readWithRules(goal, makeCtx(false));
    if (rr.result.kind !== 'draft' || !rr.facts) throw new Error(`no draft: ${JSON.stringify(rr.result)}`);
    const draft = rr.result.draft;
    const written = (draft.params as Record<string, unknown>)[field];
    const reply: Record<string, unknown> = { ...draft.params, [field]: modelValue };
    if (modelValue === undefined) delete reply[field];
    const merged = mergeLlmParams(draft, reply, rr.facts, []) as Record<string, unknown>;
    expect(merged[field]).toEqual(written);
  });

  it('lets the model fill a field the goal leaves at its default', () => {
    const rr = readWithRules('ollama on g4dn.xlarge', makeCtx(false));
    if (rr.result.kind !== 'draft' || !rr.facts) throw new Error('no draft');
    const reply = { ...rr.result.draft.params, volumeGb: 250 };
    const merged = mergeLlmParams(rr.result.draft, reply, rr.facts, []) as Record<string, unknown>;
    expect(merged.volumeGb).toBe(250);
  });

  it('keeps g4dn.xlarge when a model reply over the wire says g4dn.2xlarge', async () => {
    const goal = 'Ollama on g4dn.xlarge in us-west-2';
    const rr = readWithRules(goal, makeCtx(false));
    if (rr.result.kind !== 'draft') throw new Error('no draft');
    const reply = { ...rr.result.draft.params, instanceTypes: ['g4dn.2xlarge'] };
    standIn = new OllamaStandIn([{ content: JSON.stringify(reply) }]);
    const host = await standIn.start();
    const out = await draftPlan(goal, makeCtx(false, { llm: { host, model: 'llama3.1:8b', timeoutMs: 5000 } }));
    if (out.kind !== 'spec' || out.spec.blueprint !== 'aws-spot-ollama') throw new Error(JSON.stringify(out));
    expect(out.spec.parsedBy).toBe('llm');
    expect(out.spec.params.instanceTypes).toEqual(['g4dn.xlarge']);
    expect(out.spec.rationale.join('\n')).toContain('Kept instance types ["g4dn.xlarge"]');
  });
});
