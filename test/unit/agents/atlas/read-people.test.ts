import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx, pick } from './atlas-fixtures.js';

/**
 * Requests a careful human reads one way: each once came out of Atlas as a tidy plan with a
 * clause dropped or misread. Phrased in other words than the corpus that found them.
 */
const CASES: Array<[string, Record<string, unknown>]> = [
  // A yearly amount is a twelfth a month; "grand" and "thousand" are thousands.
  ['ollama on spot in eu-west-1, g5.xlarge, yearly budget around $2,400', { 'budget.monthlyUsd': 200 }],
  ['ollama on spot, g5.xlarge, we can spend $6000 per year', { 'budget.monthlyUsd': 500 }],
  ['ollama on spot, g5.xlarge, budget 4800/yr', { 'budget.monthlyUsd': 400 }],
  ['ollama g5.xlarge spot, budget is two grand a month', { 'budget.monthlyUsd': 2000 }],
  ['ollama g5.xlarge spot, budget 5 thousand a month', { 'budget.monthlyUsd': 5000 }],
  // A count written after the instance type.
  ['ollama spot in us-east-2 on G5.XLARGE x3', { 'params.desiredCapacity': 3 }],
  ['spot ollama: g6.xlarge × 4, eu-north-1', { 'params.desiredCapacity': 4 }],
  // "key: value" and "key name: value": the value is the name, not the key's last word.
  ['ollama spot g5.xlarge in eu-west-1, stack name: infer-night', { stack: 'infer-night' }],
  ['ollama spot g5.xlarge, stack_name=infer-night', { stack: 'infer-night' }],
  ['asg name: etl-pool, off over the weekend', { 'params.asgName': 'etl-pool' }],
  // A name before "ASG" and a verb after it: the verb is the sentence going on.
  [
    'please make sure the nightly-etl ASG stops on Friday at 20:00 and starts Monday 06:00',
    { 'params.asgName': 'nightly-etl' },
  ],
  ['the batch-7 asg sleeps over the weekend', { 'params.asgName': 'batch-7' }],
  // The full stop ending a sentence is no part of a name.
  ['k3s on proxmox, 2 workers, from template 7002. Thanks', { 'params.vmTemplate': '7002' }],
  ['k3s on proxmox, 1 server, on node hv-9.', { 'params.node': 'hv-9' }],
  // Placement as keys and by other nouns.
  [
    'k3s on proxmox\n- node: hv-east\n- template: alma9-ci\n- workers: 2',
    { 'params.node': 'hv-east', 'params.vmTemplate': 'alma9-ci', 'params.workers': 2 },
  ],
  [
    'k3s on proxmox with 2 workers, template id 7100, on the proxmox server hv-4',
    { 'params.vmTemplate': '7100', 'params.node': 'hv-4' },
  ],
  // A share of the workers with GPUs.
  ['k3s on proxmox: 1 server, 4 workers, half the workers get a GPU', { 'params.workers': 4, 'params.gpuWorkers': 2 }],
  ['k3s on proxmox, 3 workers and each worker has its own GPU', { 'params.gpuWorkers': 3 }],
  ['k3s on proxmox with 5 agents, all of them with GPUs', { 'params.gpuWorkers': 5 }],
  ['k3s on proxmox, 2 servers and 4 workers, none of them with a GPU', { 'params.gpuWorkers': 0 }],
  // A negated schedule verb adds no schedule.
  ['ollama spot g5.xlarge in eu-west-1; never schedule it down over the weekend', { 'params.schedule': null }],
  ['ollama spot g5.xlarge, do not schedule them off on weekends please', { 'params.schedule': null }],
  // The IANA zone as written, not an older link name for it.
  ['asg etl-7 off from Friday 20:00 to Monday 06:00, zone Europe/Kiev', { 'params.schedule.timezone': 'Europe/Kiev' }],
  ['asg etl-7 off over the weekend, Asia/Kolkata', { 'params.schedule.timezone': 'Asia/Kolkata' }],
  // Tickets: key=value pairs, a count after its noun, 4-digit times beside a day, dotted a.m./p.m.
  [
    'k3s on proxmox, servers=3 workers=2 gpu_workers=2 cores=6 memory_mb=16384 disk_gb=120 node=hv-2',
    {
      'params.servers': 3,
      'params.gpuWorkers': 2,
      'params.memoryMb': 16384,
      'params.diskGb': 120,
      'params.node': 'hv-2',
    },
  ],
  [
    'ollama spot instance_types=g5.xlarge,g6.xlarge volume_gb=300 budget_usd=650',
    { 'params.instanceTypes': ['g5.xlarge', 'g6.xlarge'], 'params.volumeGb': 300, 'budget.monthlyUsd': 650 },
  ],
  ['K3S ON PROXMOX / masters 1, workers 6 / node hv-8', { 'params.servers': 1, 'params.workers': 6 }],
  [
    'asg etl-9: stop Sat 0130, start Sun 2215 PT',
    { 'params.schedule.stop': { day: 'SAT', time: '01:30' }, 'params.schedule.start': { day: 'SUN', time: '22:15' } },
  ],
  [
    "the 'etl-9' ASG goes off Friday 9 p.m., back Monday 6 a.m.",
    { 'params.asgName': 'etl-9', 'params.schedule.stop': { day: 'FRI', time: '21:00' } },
  ],
  // "a quarter to seven in the morning": the article belongs to the clock time.
  [
    'asg etl-9 off Friday at a quarter to eight in the evening until Monday at half past five in the morning',
    { 'params.schedule.stop': { day: 'FRI', time: '19:45' }, 'params.schedule.start': { day: 'MON', time: '05:30' } },
  ],
  // "rec" is a record.
  ['remove the AAAA rec for nas.home.lan', { 'params.type': 'AAAA', 'params.action': 'remove' }],
  ['delete A rec cam2.home.lan', { 'params.type': 'A', 'params.name': 'cam2' }],
  // A slip in a known noun is read as the noun; values stay as written.
  ['k3s on proxmox with 2 sevrers and 3 wrokers', { 'params.servers': 2, 'params.workers': 3 }],
  ['spot ollama g6.xlarge, 3 insatnces, bugdet $500/month', { 'params.desiredCapacity': 3, 'budget.monthlyUsd': 500 }],
  // A real word one slip from a noun is no typo: "scheduler" asks for no schedule.
  ['ollama on spot g5.xlarge for the scheduler team', { 'params.schedule': null }],
  // A GPU named by its card.
  ['k3s on proxmox: 1 server, 2 workers (one of them with an RTX 4090 passed through)', { 'params.gpuWorkers': 1 }],
  // The count after the noun.
  ['ollama on spot using g6.xlarge instances, three of them, in eu-north-1', { 'params.desiredCapacity': 3 }],
  // Role verbs in any form; an infinitive's "to" ("needs to run") is no start.
  [
    'the etl-5 asg needs to run only on weekdays, so have it paused Friday 19:00 and resumed Monday 07:30',
    { 'params.schedule.stop': { day: 'FRI', time: '19:00' }, 'params.schedule.start': { day: 'MON', time: '07:30' } },
  ],
  // "at night" after a spoken hour.
  [
    'asg etl-5: off Saturday at eleven at night until Sunday at eight in the morning',
    { 'params.schedule.stop': { day: 'SAT', time: '23:00' }, 'params.schedule.start': { day: 'SUN', time: '08:00' } },
  ],
  // "both workers" / "all the workers" with a GPU: every worker has one.
  ['k3s on proxmox, 1 server and 2 agents; both agents with an nvidia gpu', { 'params.gpuWorkers': 2 }],
  ['k3s on proxmox: 3 workers, all the workers get GPUs', { 'params.gpuWorkers': 3 }],
  // A ticket's sizes in one slashed field are no time zone.
  ['Service: ollama spot\nType: g5.xlarge\nMin/Max: 2/5', { 'params.minSize': 2, 'params.maxSize': 5 }],
  [
    'ollama spot g6.xlarge, Min/Desired/Max: 1/2/6',
    { 'params.minSize': 1, 'params.desiredCapacity': 2, 'params.maxSize': 6 },
  ],
  // An article after the amount stays a word: "800 a month".
  ['ollama spot g5.xlarge, 800 a month max', { 'budget.monthlyUsd': 800 }],
  ['ollama spot g5.xlarge, six hundred a month', { 'budget.monthlyUsd': 600 }],
  // The stack named with "call it" or a ticket's cluster field.
  ['spot ollama g6.xlarge, name it infer-box', { stack: 'infer-box' }],
  ['Cluster: edge-k3s\nServers: 1\nWorkers: 2\nPlatform: proxmox k3s', { stack: 'edge-k3s' }],
  // "one" as the object of a verb is no count.
  [
    'could someone spin one up for us in Oregon? ollama, g6.xlarge spot',
    { region: 'us-west-2', 'params.desiredCapacity': 1 },
  ],
  // Countries people name a region or a clock by.
  ['spot ollama g5.xlarge hosted in Japan', { region: 'ap-northeast-1' }],
  ['asg sales-asg off at weekends, Swiss time', { 'params.schedule.timezone': 'Europe/Zurich' }],
  // A ticket's title naming the noun, then the field with the name.
  [
    'Subject: scale-to-zero for the build ASG\nASG: build-runners-asg\nWhen: weekends',
    { 'params.asgName': 'build-runners-asg' },
  ],
  // The day being replaced, and a day's stop or start with its new time.
  [
    'asg etl-blue: stop on Sunday 01:00 rather than Friday, start Monday 06:00',
    { 'params.schedule.stop': { day: 'SUN', time: '01:00' } },
  ],
  [
    'for asg etl-blue, push the saturday stop to 03:00; the monday start remains 05:45',
    { 'params.schedule.stop': { day: 'SAT', time: '03:00' }, 'params.schedule.start': { day: 'MON', time: '05:45' } },
  ],
  // A day and its time joined ("SAT-01:30", "sun-2300"), a 4-digit time before a zone word.
  [
    'asg=etl-blue off=SAT-01:30 on=sun-2300',
    { 'params.schedule.stop': { day: 'SAT', time: '01:30' }, 'params.schedule.start': { day: 'SUN', time: '23:00' } },
  ],
  ['asg etl-blue: stop sat 0100 GMT, start sun 2300 GMT', { 'params.schedule.start': { day: 'SUN', time: '23:00' } }],
  // "at 20 to 7": after "at", minutes before the hour.
  [
    'asg etl-blue: start it on Monday at 20 to 7, stop it Friday at 6pm',
    { 'params.schedule.start': { day: 'MON', time: '06:40' } },
  ],
  // "leave it running on Sundays" with times is a schedule, not none.
  [
    'asg etl-blue off at weekends but keep it running on Saturdays: stop Saturday 20:00, start Monday 06:00',
    { 'params.schedule.stop': { day: 'SAT', time: '20:00' } },
  ],
  // A single-node control plane is one server beside the workers.
  ['k3s on proxmox: single-node control plane and 3 workers', { 'params.servers': 1, 'params.workers': 3 }],
  // Workers with and without GPUs, and GPUs no worker needs.
  ['k3s on proxmox, agents: 1 with a gpu and 3 without', { 'params.workers': 4, 'params.gpuWorkers': 1 }],
  ['k3s on proxmox with two workers, none of which requires a GPU', { 'params.gpuWorkers': 0 }],
  // A CNAME's target by its key; the zone before the word "zone"; spoken TTLs; the apex.
  [
    'dns: type=CNAME name=docs zone=corp.example.org target=docs-site.example.net',
    { 'params.name': 'docs', 'params.value': 'docs-site.example.net' },
  ],
  ['A record ci.build.example.com -> 10.3.3.3 with a quarter of an hour TTL', { 'params.ttl': 900 }],
  [
    'TXT at the apex of the corp.example.org zone, value: verify-me-123',
    { 'params.name': '@', 'params.zone': 'corp.example.org' },
  ],
  // Turning off scheduled scaling removes the schedule.
  ['asg render-pool: please disable the weekly scaling', { 'params.remove': true }],
  // The Proxmox host's name in brackets after it; a count of GPUs beside counted workers.
  ['k3s on the proxmox server (hv-gpu-2): 1 server, 2 agents', { 'params.node': 'hv-gpu-2' }],
  ['k3s proxmox | 3 masters | 4 agents | 2 GPUs', { 'params.workers': 4, 'params.gpuWorkers': 2 }],
  // A bare record name, then the zone it sits in.
  [
    'create an entry for builds in ci.example.net pointing at 10.8.0.8',
    { 'params.name': 'builds', 'params.zone': 'ci.example.net' },
  ],
  // A Markdown table, `|` fields and underscored keys read as the words they stand for.
  [
    '| ASG | stop | start |\n|---|---|---|\n| batch-pool-asg | Sat 01:00 | Sun 22:00 |',
    { 'params.asgName': 'batch-pool-asg', 'params.schedule.stop': { day: 'SAT', time: '01:00' } },
  ],
  [
    'k3s on proxmox\n\n| role | count | with GPU |\n|---|---|---|\n| server | 1 | 0 |\n| agent | 4 | 1 |',
    { 'params.servers': 1, 'params.workers': 4, 'params.gpuWorkers': 1 },
  ],
  ['ollama spot | region=eu-north-1 | instance=g5.xlarge | on_demand_base=1 | max=3', { 'params.onDemandBase': 1 }],
  [
    'k3s on proxmox:\n  servers: 1\n  agents: 2\n  ram_mb: 16384\n  disk_gb: 90',
    { 'params.memoryMb': 16384, 'params.diskGb': 90 },
  ],
  // A corrected value is read as corrected, keeping its noun.
  ['ollama spot g5.xlarge in eu-west-3 — sorry, eu-west-2', { region: 'eu-west-2' }],
  ['k3s on proxmox, 2 servers — no wait, make that 3 servers, 2 agents', { 'params.servers': 3 }],
  [
    'asg pdf-asg: off Friday 19:00, sorry, 20:00, back Monday 06:00',
    { 'params.schedule.stop': { day: 'FRI', time: '20:00' } },
  ],
  // A word after "$300, actually" with a noun of its own corrects nothing.
  [
    'ollama spot g5.xlarge, budget $300, actually 2 instances',
    { 'budget.monthlyUsd': 300, 'params.desiredCapacity': 2 },
  ],
  // "thirty seconds" and "900 seconds" are no fractions.
  ['A record edge.lab.internal -> 10.6.6.6, ttl forty seconds', { 'params.ttl': 40 }],
  ['A record edge.lab.internal -> 10.6.6.6, ttl: 600 seconds', { 'params.ttl': 600 }],
  ['CNAME img.example.net to cdn.example.org, TTL one week', { 'params.ttl': 604800 }],
  // Schedules: a ticket's "schedule: none", "runs 24/7", "rm … sched", postfix off/on, a moved stop.
  ['ollama spot g5.xlarge\nschedule: none', { 'params.schedule': null }],
  ['rm the weekend sched of asg build-x', { 'params.remove': true }],
  ['asg build-x: Sat 02:00 off, Sun 21:00 on', { 'params.schedule.stop': { day: 'SAT', time: '02:00' } }],
  [
    'asg build-x: please move the weekend stop from Friday 22:00 to Friday 20:00',
    { 'params.schedule.stop': { day: 'FRI', time: '20:00' } },
  ],
  ['asg build-x off at weekends, clock of Lisbon', { 'params.schedule.timezone': 'Europe/Lisbon' }],
  // Counts on their own ticket lines; "from them N should have GPU"; "at least one <type>".
  ['Platform: k3s\nServers: 1\nWorkers: 4\nGPU workers: 0', { 'params.workers': 4, 'params.gpuWorkers': 0 }],
  ['k3s on proxmox, 4 worker nodes, from them one should have a GPU', { 'params.gpuWorkers': 1 }],
  ['ollama spot, at least two g6.xlarge, up to 6', { 'params.minSize': 2, 'params.maxSize': 6 }],
  // The VPC said loosely, as the range holding the subnets.
  [
    'ollama spot g5.xlarge; vpc from the network team: 10.90.0.0/16 with subnets 10.90.1.0/24 and 10.90.2.0/24',
    { 'params.vpcCidr': '10.90.0.0/16' },
  ],
  // A CNAME's value by key, a record name inside a stated zone, an alias.
  [
    'zone=corp.example.org name=wiki type=CNAME value=wiki-host.corp.example.org',
    { 'params.value': 'wiki-host.corp.example.org' },
  ],
  ['Zone: example.org\nRecord: _dmarc.mail\nType: TXT\nValue: v=DMARC1; p=none', { 'params.name': '_dmarc.mail' }],
  [
    'make an alias: help.corp.lan should show to kb.corp.lan',
    { 'params.type': 'CNAME', 'params.value': 'kb.corp.lan' },
  ],
  // Corpus 11's rules, in other words.
  ['please remove the start/stop schedule from ci-fleet-asg', { 'params.remove': true }],
  ['k3s on proxmox, 1 server and no separate workers', { 'params.workers': 0 }],
  ['asg-schedule for report-runners: off Saturday 01:00, on Sunday 23:00', { 'params.asgName': 'report-runners' }],
  ['TXT _verify.corp.example.com with value z9y8x7 ttl 120', { 'params.value': 'z9y8x7', 'params.ttl': 120 }],
  // Corpus 12's rules, in other words.
  ['TXT at the root of shop.com.au: "v=spf1 -all"', { 'params.zone': 'shop.com.au', 'params.name': '@' }],
  ['k3s on proxmox, 4 agents; one of those agents needs a gpu card', { 'params.gpuWorkers': 1 }],
  ['k3s on proxmox, 1 server 2 workers, 4 vcpus / 16 GB / 80 GB per VM', { 'params.cores': 4, 'params.diskGb': 80 }],
  // A wildcard covers the names under its parent: the parent label stays in the record's name.
  [
    'wildcard A *.preview.web.example.org -> 10.9.0.4',
    { 'params.name': '*.preview', 'params.zone': 'web.example.org' },
  ],
];

/** What must never come out as a plan: each is asked about or refused, naming what was not read. */
const REFUSED: Array<[string, RegExp]> = [
  // No value of any blueprint: asked, not planned from defaults.
  ['can you sort out some GPU inference thing for us, thanks', /states nothing to plan/],
  ['need an llm setup, whatever you think is best', /states nothing to plan/],
  // Access to a port the blueprint cannot open, with a range: never read as the Ollama port's range.
  [
    'ollama on spot, g6.xlarge, allow ssh from 203.0.113.0/24 for the vendor',
    /ssh from 203\.0\.113\.0\/24.*cannot express/,
  ],
  [
    'spot ollama g5.xlarge in us-east-1 with RDP open to the whole internet',
    /RDP open to the whole internet.*cannot express/,
  ],
  // A daily stop beside a weekly one: asked with the weekly form, never planned as the weekend only.
  ['asg web-qa: switched off nights and at the weekend', /nights.*daily stop.*weekly/],
  [
    'shut the asg batch-3 down every night at 20:00 and bring it back every morning at 6, Mon-Fri',
    /every night.*daily stop/,
  ],
  // Two records in one request: one per plan, asked rather than planning the first.
  [
    'create A records web1.corp.lan -> 10.1.0.1 and web2.corp.lan -> 10.1.0.2',
    /One record per plan.*10\.1\.0\.1, 10\.1\.0\.2/,
  ],
  // Half of an odd number of workers is asked about.
  ['k3s on proxmox, 5 workers, half of them with GPUs', /no whole number/],
  // Record types the blueprint cannot hold are named in the refusal.
  ['add an SRV record _sip._tcp.example.com', /SRV records are not supported/],
  // An Ollama group and an ASG's schedule in one request.
  ['deploy ollama on g6.xlarge spot and add a weekend schedule to asg etl-blue', /asks for two/],
  // A TTL longer than the seven days a record may hold.
  ['A record old.lab.internal -> 10.1.1.1 with a TTL of a month', /ttl a month is out of range/],
  // A name after "call it" is checked like any stack name.
  ['spot ollama g6.xlarge, call it Infer_Box', /stack name \W+Infer_Box\W+ is not valid/],
];

describe('Atlas reads what people write, or asks', () => {
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

  it('says in the provenance that a yearly budget was divided by twelve', () => {
    const out = parseGoal('ollama on spot, g5.xlarge, our annual budget is $1,200', makeCtx(false));
    expect(out.kind).toBe('spec');
    if (out.kind !== 'spec') return;
    expect(out.spec.budget.monthlyUsd).toBe(100);
    expect(JSON.stringify(out)).toMatch(/yearly.*\$1,200.*\$100\/month/);
  });
});
