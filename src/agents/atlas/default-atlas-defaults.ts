import type { AtlasDefaults } from './atlas-types.js';

export const DEFAULT_ATLAS_DEFAULTS: AtlasDefaults = Object.freeze({
  region: 'eu-west-1',
  vpcCidr: '10.42.0.0/16',
  instanceTypes: Object.freeze(['g4dn.xlarge']) as string[],
  timezone: 'UTC',
  target: 'sandbox',
  brakeRatio: 0.8,
  // "test.local" then splits into name "test" in zone "local", the seed's MVP record.
  dnsZone: 'local',
  proxmox: Object.freeze({ node: 'pve', vmTemplate: 'ubuntu-2404-cloud', network: 'vmbr0' }),
}) as AtlasDefaults;

/**
 * Stack names used when the goal names none:
 * - aws-spot-ollama → `ollama-dev`
 * - proxmox-k3s     → `k3s-lab`
 * - dns-record      → `dns-<zone with dots as dashes>` (e.g. `dns-lab-example-com`)
 * - asg-schedule    → `sched-<asg name, lowercased, other characters as dashes>`
 */
export const DEFAULT_STACKS = { awsSpotOllama: 'ollama-dev', proxmoxK3s: 'k3s-lab' } as const;

/** Fixed values no default argument carries. */
export const FIXED = {
  ollamaPort: 11434,
  volumeGb: 100,
  ttl: 300,
  weekendStop: { day: 'FRI', time: '22:00' },
  weekendStart: { day: 'MON', time: '07:00' },
  k3s: { servers: 3, workers: 2, gpuWorkers: 0, cores: 4, memoryMb: 8192, diskGb: 64 },
} as const;

export const MAX_GOAL_CHARS = 4000;
