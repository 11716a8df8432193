import type { BlueprintName } from '../../../contracts/index.js';

export const BLUEPRINT_SUMMARIES: Record<BlueprintName, string> = {
  'aws-spot-ollama':
    'private Ollama on an AWS Spot Auto Scaling group in private subnets (port 11434 from allowed CIDRs only)',
  'asg-schedule': 'a weekly stop/start schedule (scheduled actions) on an existing Auto Scaling group',
  'proxmox-k3s': 'a k3s cluster of Proxmox VMs: servers, workers, optional GPU-passthrough workers',
  'dns-record': 'add or remove one DNS record (A, AAAA, CNAME, TXT) in a BIND zone',
};

const EXAMPLES: Record<BlueprintName, string> = {
  'aws-spot-ollama': '"private Ollama on spot g4dn.xlarge in eu-west-1, off on weekends, budget $300/month"',
  'asg-schedule': '"weekend schedule for asg ollama-dev-asg in Europe/Berlin"',
  'proxmox-k3s': '"k3s cluster on proxmox with 3 servers and 2 workers, one with a GPU"',
  'dns-record': '"Add DNS record test.local to 192.168.1.100"',
};

/** What Atlas can draft, for a blocked goal's rationale and the model's system prompt. */
export function describeCatalog(): string[] {
  return [
    ...(Object.keys(BLUEPRINT_SUMMARIES) as BlueprintName[]).map(
      (b) => `${b}: ${BLUEPRINT_SUMMARIES[b]}, e.g. ${EXAMPLES[b]}`,
    ),
    'changes to an existing stack, e.g. "scale ollama-dev to 3", "drop the weekend schedule on ollama-dev", "remove test.local"',
  ];
}
