import type { BlueprintName } from '../../../contracts/index.js';
import type { GoalFacts } from './extract-facts.js';

const WHAT: Record<BlueprintName, string> = {
  'aws-spot-ollama': 'an Ollama group on AWS (aws-spot-ollama)',
  'asg-schedule': 'a stop/start schedule for an Auto Scaling group (asg-schedule)',
  'proxmox-k3s': 'a k3s cluster on Proxmox (proxmox-k3s)',
  'dns-record': 'a DNS record (dns-record)',
};

/** A cluster: its words and how many nodes of a role ("k3s … 3 servers, 2 workers"). */
function asksCluster(f: GoalFacts): boolean {
  const c = f.counts;
  const shaped = [c.servers, c.workers, c.gpuWorkers, c.workersDelta, c.serversDelta, c.gpuWorkersDelta].some(
    (v) => v !== undefined,
  );
  return (shaped || c.singleNode === true) && /\b(?:k3s|proxmox|pve|rke2|kubernetes|k8s)\b/.test(f.rest);
}

/** A record: its word, a name and a value ("add a dns record k3s.lab.local -> 10.0.0.10"). */
function asksRecord(f: GoalFacts): boolean {
  const value = f.network.ipv4.length + f.network.ipv6.length > 0 || f.dns.txt !== undefined;
  return /\b(?:dns|records?)\b/.test(f.rest) && f.dns.fqdns.length > 0 && value;
}

/** A group on AWS: an instance type. */
const asksGroup = (f: GoalFacts): boolean => f.compute.instanceTypes.length + f.compute.removedTypes.length > 0;

/** A schedule of a named ASG. */
const asksSchedule = (f: GoalFacts): boolean =>
  f.names.asgName !== undefined && (f.schedule.stop !== undefined || f.schedule.start !== undefined);

const OTHERS: Record<BlueprintName, Array<[BlueprintName, (f: GoalFacts) => boolean]>> = {
  'dns-record': [
    ['proxmox-k3s', asksCluster],
    ['aws-spot-ollama', asksGroup],
    ['asg-schedule', asksSchedule],
  ],
  'proxmox-k3s': [
    ['dns-record', asksRecord],
    ['aws-spot-ollama', asksGroup],
  ],
  'aws-spot-ollama': [['dns-record', asksRecord]],
  'asg-schedule': [
    ['dns-record', asksRecord],
    // "set up spot ollama on g5.xlarge … and put a weekend schedule on asg ci-runners".
    ['aws-spot-ollama', (f) => asksGroup(f) && /\bollama\b/.test(f.lower)],
  ],
};

/**
 * A request that asks for two blueprints at once ("a k3s cluster (3 servers, 2 workers) AND a dns
 * record …"): planning the one the keywords chose would drop the other without a word, so the
 * request is asked about instead. Returns the question, or undefined for a request of one blueprint.
 */
export function askAboutTwoBlueprints(f: GoalFacts, chosen: BlueprintName): string | undefined {
  const other = OTHERS[chosen].find(([, asks]) => asks(f))?.[0];
  if (!other) return undefined;
  return `One request plans one blueprint, and this one asks for two: ${WHAT[chosen]} and ${WHAT[other]}. Send them separately, one request each.`;
}
