import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx, pick } from './atlas-fixtures.js';

/** Requests as new users wrote them, each once misread by the keyword parser. */
const CASES: Array<[string, Record<string, unknown>]> = [
  // Negation scope: a schedule word under "no", "not", "keep running" or "cancel" adds no schedule.
  ['Ollama on g5.xlarge in us-west-2, keep it running through the weekend', { 'params.schedule': null }],
  ['do not turn it off on weekends: ollama on g5.xlarge', { 'params.schedule': null }],
  ["ollama on g5.xlarge, don't shut it down at the weekend", { 'params.schedule': null }],
  ['ollama on g5.xlarge, no weekend shutdown', { 'params.schedule': null }],
  ['ollama on spot without any weekend schedule', { 'params.schedule': null }],
  ['cancel the weekend shutdown for asg render-farm', { 'params.asgName': 'render-farm', 'params.remove': true }],
  ['remove the weekend stop from asg render-farm', { 'params.asgName': 'render-farm', 'params.remove': true }],
  ['drop the off-hours schedule on the render-farm ASG', { 'params.asgName': 'render-farm', 'params.remove': true }],
  // ...while a negated run verb still asks for the stop.
  ['ollama on g5.xlarge, off on weekends', { 'params.schedule.stop': { day: 'FRI', time: '22:00' } }],
  ["ollama on spot, don't run it on weekends", { 'params.schedule.stop': { day: 'FRI', time: '22:00' } }],
  ['ollama on spot, stop at ten pm on Friday', { 'params.schedule.stop': { day: 'FRI', time: '22:00' } }],
  // Ranges.
  ['ollama autoscaling group of 2 to 6 g4dn.xlarge instances', { 'params.minSize': 2, 'params.maxSize': 6 }],
  ['ollama between 1 and 4 g4dn.xlarge instances', { 'params.minSize': 1, 'params.maxSize': 4 }],
  ['ollama on 2-3 nodes', { 'params.minSize': 2, 'params.maxSize': 3 }],
  ['ollama, at least 2 and at most 5 instances', { 'params.minSize': 2, 'params.maxSize': 5 }],
  ['ollama on spot, up to five instances', { 'params.maxSize': 5 }],
  // Number words and shorthands.
  ['ollama monthly budget two thousand dollars', { 'budget.monthlyUsd': 2000 }],
  ['ollama on spot, budget of two hundred dollars', { 'budget.monthlyUsd': 200 }],
  ['ollama budget 1.5k a month', { 'budget.monthlyUsd': 1500 }],
  ['ollama budget of seven hundred and fifty bucks', { 'budget.monthlyUsd': 750 }],
  ['k3s on proxmox with a dozen workers', { 'params.workers': 12 }],
  ['k3s on proxmox: three servers and twenty-five workers', { 'params.servers': 3, 'params.workers': 25 }],
  ['DNS A record app.local -> 10.0.0.7 with a ttl of one hour', { 'params.ttl': 3600 }],
  // Role nouns bound to their numbers.
  ['k3s on proxmox: 1 server, 4 agents, no GPU', { 'params.servers': 1, 'params.workers': 4, 'params.gpuWorkers': 0 }],
  [
    'k3s on proxmox: 3 servers, 4 workers of which 2 have GPUs',
    { 'params.servers': 3, 'params.workers': 4, 'params.gpuWorkers': 2 },
  ],
  ['k3s on proxmox: 3 masters and 5 nodes', { 'params.servers': 3, 'params.workers': 5 }],
  [
    'k3s on proxmox, 1 control plane and 3 worker nodes without GPUs',
    { 'params.servers': 1, 'params.workers': 3, 'params.gpuWorkers': 0 },
  ],
  // Names after their nouns; never a preposition.
  [
    'Stop the batch-gpu ASG at 21:30 on Fridays and start it Monday 06:00',
    { 'params.asgName': 'batch-gpu', 'params.schedule.stop': { day: 'FRI', time: '21:30' } },
  ],
  ['weekend schedule for autoscaling group render-farm', { 'params.asgName': 'render-farm' }],
  ['ollama on g5.xlarge, stack called team-llm', { stack: 'team-llm' }],
  // A part of the day between a day and its time; "no longer" as a negation; "to zero" after a name.
  [
    'asg batch-gpu: stop Saturday morning at 9 am, start Sunday night at 11 pm',
    { 'params.schedule.stop': { day: 'SAT', time: '09:00' }, 'params.schedule.start': { day: 'SUN', time: '23:00' } },
  ],
  ['we no longer shut down the batch-gpu ASG at the weekend', { 'params.asgName': 'batch-gpu', 'params.remove': true }],
  [
    'scale the ASG batch-gpu down to 0 over weekends',
    { 'params.asgName': 'batch-gpu', 'params.schedule.stop.day': 'FRI' },
  ],
  // GPUs per worker: "each", "none of them", and CPU workers adding to GPU workers.
  ['k3s on proxmox: three agents, each with a GPU', { 'params.workers': 3, 'params.gpuWorkers': 3 }],
  ['k3s on proxmox, 5 workers, none of which have GPUs', { 'params.workers': 5, 'params.gpuWorkers': 0 }],
  ['k3s on proxmox, 2 gpu workers plus 4 cpu-only workers', { 'params.workers': 6, 'params.gpuWorkers': 2 }],
  // A bare hour beside a day is a time ("Thursday at 11"); a part of the day or "in the evening" makes it p.m.
  [
    'asg night-jobs: stop Thursday at 11, start Sunday at 6 in the evening',
    { 'params.schedule.stop': { day: 'THU', time: '11:00' }, 'params.schedule.start': { day: 'SUN', time: '18:00' } },
  ],
  [
    "asg etl-2: off Friday evening at 8, on again Monday at 5 o'clock",
    { 'params.schedule.stop': { day: 'FRI', time: '20:00' }, 'params.schedule.start': { day: 'MON', time: '05:00' } },
  ],
  // ...but a bare hour away from any day stays a count.
  [
    'ollama on g5.xlarge with weekends off, capped at 4',
    { 'params.maxSize': 4, 'params.schedule.stop': { day: 'FRI', time: '22:00' } },
  ],
  // "don't need / do not want" + a schedule noun removes it.
  [
    'we do not want the kill switch on asg gpu-pool-3 anymore',
    { 'params.asgName': 'gpu-pool-3', 'params.remove': true },
  ],
  ["the render-box ASG doesn't need its off-hours schedule", { 'params.asgName': 'render-box', 'params.remove': true }],
  // "plus" between two counted roles joins them; it adds to no current stack.
  ['k3s on proxmox: 3 masters plus 2 agents', { 'params.servers': 3, 'params.workers': 2 }],
  ['k3s on proxmox, 1 server, 3 regular workers plus one gpu worker', { 'params.workers': 4, 'params.gpuWorkers': 1 }],
  // Underscore labels (DKIM selectors, service names) belong to the record's name, not its zone.
  [
    'TXT s2._domainkey.mail.example.net "v=DKIM1; k=rsa"',
    { 'params.name': 's2._domainkey', 'params.zone': 'mail.example.net', 'params.value': 'v=DKIM1; k=rsa' },
  ],
  ['add txt _sip._tcp.voice.example.com "x=1"', { 'params.name': '_sip._tcp', 'params.zone': 'voice.example.com' }],
  // Sentence punctuation after a stack name ends it.
  ['stack named gpu-lab: ollama on g4dn.xlarge', { stack: 'gpu-lab' }],
  ['ollama on g4dn.xlarge for the stack called qa-llm!', { stack: 'qa-llm' }],
  // Where the people are says which clock they mean.
  ['asg etl-2 weekends off, our office is in Sydney', { 'params.schedule.timezone': 'Australia/Sydney' }],
  ['turn asg etl-2 off on weekends, we are based in London', { 'params.schedule.timezone': 'Europe/London' }],
  // A region code is read whole: its last digit is never a count of what follows.
  ['llm on spot ap-southeast-2 g6.xlarge', { region: 'ap-southeast-2', 'params.desiredCapacity': 1 }],
  ['ollama eu-west-3 2 g5.2xlarge', { region: 'eu-west-3', 'params.desiredCapacity': 2 }],
  ['ollama group in us-west-2 g4dn.2xlarge, 1-3 boxes', { region: 'us-west-2', 'params.maxSize': 3 }],
  // A day name inside a host or stack name is part of that name, not a day.
  ['A record grafana.sun.lab.internal -> 10.9.8.7', { 'params.name': 'grafana', 'params.schedule': null }],
  ['point wiki.wed.corp.example at 10.4.4.4', { 'params.name': 'wiki', 'params.zone': 'wed.corp.example' }],
  [
    'asg fri-batch off on weekends',
    { 'params.asgName': 'fri-batch', 'params.schedule.stop': { day: 'FRI', time: '22:00' } },
  ],
  [
    'asg nightly-sat-jobs: stop sat 01:00, start sun 18:00',
    { 'params.asgName': 'nightly-sat-jobs', 'params.schedule.stop': { day: 'SAT', time: '01:00' } },
  ],
  // "to zero" and "down" stop; "back up" starts, whichever comes first in the sentence.
  [
    'take asg qa-web down to 0 on saturday 8am, back up sunday at 20:00',
    { 'params.schedule.stop': { day: 'SAT', time: '08:00' }, 'params.schedule.start': { day: 'SUN', time: '20:00' } },
  ],
  [
    'bring the asg stage-api to zero thursday 23:00 then start it again tuesday 6am',
    { 'params.schedule.stop': { day: 'THU', time: '23:00' }, 'params.schedule.start': { day: 'TUE', time: '06:00' } },
  ],
  // Running only on weekdays is being off on weekends.
  ['ollama g5.xlarge on spot, business days only', { 'params.schedule.stop': { day: 'FRI', time: '22:00' } }],
  ['asg reporting-jobs only on weekdays', { 'params.schedule.start': { day: 'MON', time: '07:00' } }],
  ['asg reporting-jobs: run it working days only', { 'params.schedule.stop': { day: 'FRI', time: '22:00' } }],
  // The Proxmox node is the name after "node", not a word after "three-node"; that counts the servers.
  [
    'a five-node k3s control plane and 4 workers on proxmox, on node hv9',
    { 'params.node': 'hv9', 'params.servers': 5 },
  ],
  ['proxmox k3s: one-node control plane, two workers (node pve-b)', { 'params.node': 'pve-b', 'params.servers': 1 }],
];

const REFUSED: Array<[string, RegExp]> = [
  ['ollama on g5.xlarge in region mars-west-1', /mars-west-1 is not a known AWS region.*eu-west-1/],
  ['stop asg foo on Funday at 10:00', /Funday is not a day of the week.*Monday/],
  ['Stop the ASG at 21:30 on Fridays', /Auto Scaling group name|does not match any blueprint/],
  // A service outside the catalog is not read as an Ollama group because it says "instance".
  ['create a postgres database instance on AWS', /does not match any blueprint/],
  ['a redis elasticache instance in eu-west-1', /does not match any blueprint/],
  // An instance type does not make a managed service an Ollama group; Kubernetes on a cloud is no k3s on Proxmox.
  ['an AKS cluster of 5 m5.2xlarge machines', /does not match any blueprint.*Atlas can draft/],
  ['set up kubernetes on amazon with 2 t3.large nodes', /does not match any blueprint.*Atlas can draft/],
  ['a kafka cluster on three r5.large instances in eu-north-1', /does not match any blueprint/],
  ['managed mongodb, m5.large, us-east-2', /does not match any blueprint/],
  // Hours on every weekday are a daily schedule: said so, never planned as a weekly stop and start.
  ['ollama g6.xlarge on spot, weekdays 9am to 5pm only', /daily schedule.*weekly/],
  ['asg ingest-2 on business days from 06:30 until 20:00', /daily schedule.*weekly/],
];

describe('Atlas reads language, not keywords', () => {
  it.each(CASES)('%s', (goal, want) => {
    const out = parseGoal(goal, makeCtx(false));
    expect(out.kind, JSON.stringify(out)).toBe('spec');
    if (out.kind !== 'spec') return;
    for (const [path, value] of Object.entries(want)) expect(pick(out.spec, path) ?? null, path).toEqual(value);
  });

  it.each(REFUSED)('refuses %s', (goal, why) => {
    const out = parseGoal(goal, makeCtx(false));
    expect(out.kind).not.toBe('spec');
    expect(JSON.stringify(out)).toMatch(why);
  });
});
