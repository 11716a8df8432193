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
  // Sizes in the units people use: gigs, megabytes, GiB, "g of ram"; GB and GiB alike (12 GB = 12288 MiB).
  ['k3s on proxmox, three agents with 12 gigs of memory each', { 'params.memoryMb': 12288 }],
  ['k3s on proxmox with 6144 megabytes of ram per vm', { 'params.memoryMb': 6144 }],
  ['k3s on proxmox: 2 workers, 24g of ram, 250 gigs of storage', { 'params.memoryMb': 24576, 'params.diskGb': 250 }],
  // A size with no noun right beside a core count is that machine's memory.
  ['k3s on proxmox: 2 servers, 4 vcpus + 8 GB each', { 'params.cores': 4, 'params.memoryMb': 8192 }],
  ['k3s on proxmox, 3 agents, 512 MB / 1 core', { 'params.cores': 1, 'params.memoryMb': 512, 'params.workers': 3 }],
  ['proxmox k3s with 12 GiB and 6 cores per node', { 'params.cores': 6, 'params.memoryMb': 12288 }],
  // Role nouns by their abbreviations, with "x" or "=".
  ['proxmox k3s with one cp node and four worker vms', { 'params.servers': 1, 'params.workers': 4 }],
  ['k3s: 3x masters, 6x workers on proxmox', { 'params.servers': 3, 'params.workers': 6 }],
  ['k3s on proxmox, cp=1 agents=3', { 'params.servers': 1, 'params.workers': 3 }],
  ['k3s on proxmox, a 3-node ctrl plane and 2 agents', { 'params.servers': 3, 'params.workers': 2 }],
  // Clock times as people say them; without a half of the day, morning, as a bare hour is.
  [
    'asg web-7: stop Friday evening at half past 7, start Monday at quarter to six',
    { 'params.schedule.stop': { day: 'FRI', time: '19:30' }, 'params.schedule.start': { day: 'MON', time: '05:45' } },
  ],
  [
    'asg web-7: off saturday 7.30pm until sunday twelve noon',
    { 'params.schedule.stop': { day: 'SAT', time: '19:30' }, 'params.schedule.start': { day: 'SUN', time: '12:00' } },
  ],
  [
    "asg web-7: off Friday at quarter past ten at night, on Monday at 7 o'clock",
    { 'params.schedule.stop': { day: 'FRI', time: '22:15' }, 'params.schedule.start': { day: 'MON', time: '07:00' } },
  ],
  [
    'asg batch-3 off thursday at midday, on again friday at midnight',
    { 'params.schedule.stop': { day: 'THU', time: '12:00' }, 'params.schedule.start': { day: 'FRI', time: '00:00' } },
  ],
  [
    'asg web-7 off Friday at seven thirty pm, back Monday at twenty past six',
    { 'params.schedule.stop': { day: 'FRI', time: '19:30' }, 'params.schedule.start': { day: 'MON', time: '06:20' } },
  ],
  [
    'asg web-7 off Friday at 10 past 7 pm, on Monday at 5 minutes to 8',
    { 'params.schedule.stop': { day: 'FRI', time: '19:10' }, 'params.schedule.start': { day: 'MON', time: '07:55' } },
  ],
  // A written 12-hour time takes the half of the day said after it, or the part of the day before it;
  // a leading zero is a 24-hour time, and "night" before 6 is after midnight.
  [
    'asg web-7 off Friday 7:30 in the evening, on Monday 8am',
    { 'params.schedule.stop': { day: 'FRI', time: '19:30' } },
  ],
  [
    'asg web-7 off Friday evening 6:45, on Monday 07:30',
    { 'params.schedule.stop': { day: 'FRI', time: '18:45' }, 'params.schedule.start': { day: 'MON', time: '07:30' } },
  ],
  ['asg web-7 off Saturday night at 1:30, on Monday 8am', { 'params.schedule.stop': { day: 'SAT', time: '01:30' } }],
  // An unquoted TXT value after a value label runs to the end of its clause; "; " stays inside it.
  [
    'TXT for _dmarc.mail.example.org, value = v=DMARC1; p=none; rua=mailto:ops@example.org, ttl 1h',
    { 'params.value': 'v=DMARC1; p=none; rua=mailto:ops@example.org', 'params.ttl': 3600 },
  ],
  [
    'txt record spf.example.net with content: v=spf1 include:_spf.google.com ~all. Thanks!',
    { 'params.type': 'TXT', 'params.value': 'v=spf1 include:_spf.google.com ~all' },
  ],
  // A verb or adverb after "record" is prose, not the record's name.
  ['A record required for grafana at 10.0.0.5', { 'params.name': 'grafana', 'params.value': '10.0.0.5' }],
  ['dns record please: build-cache -> 10.0.0.6', { 'params.name': 'build-cache' }],
  ['DNS entry, record wanted: name=ci.lab.internal type=A value=10.20.30.40', { 'params.name': 'ci' }],
  ['ollama on g5.xlarge, stack needed for tests', { stack: 'ollama-dev' }],
  // "ollama asg <region> <type>": the noun names the kind of group; the next value is no group name.
  [
    'ollama asg ap-south-1 g5.2xlarge two instances',
    { blueprint: 'aws-spot-ollama', region: 'ap-south-1', 'params.desiredCapacity': 2 },
  ],
  ['spot ollama autoscaling group eu-central-1 g5.xlarge max 4', { blueprint: 'aws-spot-ollama', 'params.maxSize': 4 }],
  // "the usual one" stands for a noun said before; it counts nothing.
  ['ollama on g6.xlarge in eu-north-1, port 9000 instead of the usual one', { 'params.ollamaPort': 9000 }],
  // A suffix of likeness leaves a name with digits a name.
  ['k3s on proxmox, something k8s-like, 2 workers', { 'params.workers': 2 }],
  // A name after "called" belongs to the noun before it.
  ['k3s on proxmox node called hv-07, 2 workers', { 'params.node': 'hv-07', stack: 'k3s-lab' }],
  ['k3s on a proxmox host named pve-lab2 with 1 server', { 'params.node': 'pve-lab2' }],
  ['k3s on proxmox from the template called debian-12-ci', { 'params.vmTemplate': 'debian-12-ci' }],
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
  // Cores and memory on AWS are the instance type's: asked about, never dropped.
  ['ollama on spot g6.xlarge with 64 GB of memory', /could not read .*64 GB of memory.*instance type/],
  ['ollama on g5.xlarge, 8 vcpus', /could not read .*8 vcpus/],
  // A bare size too large to be the memory beside its cores is asked about, not guessed.
  ['k3s on proxmox, 2 cores, 500 GB', /could not read .*500 GB.*what the size is for/],
  // A clock time with no day is asked about as a time.
  ['ollama on g5.xlarge, stop at half past 9', /"stop at half past 9\\" names no day.*weekday and a time/],
  // "asg needed …" names no group: nothing is scheduled on a group called "needed".
  ['asg needed off on weekends: render-farm', /does not match any blueprint/],
  // With only prose after "record", the name is asked for.
  ['dns record needed, value 10.0.0.9', /needs a name/],
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
