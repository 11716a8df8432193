// The contracts' plain constants, apart from their schemas: what a running process needs of the
// contracts without loading TypeBox (the schemas are compiled into compiled-validators.ts).

/** The version every artifact's envelope carries. */
export const CONTRACT_VERSION = '0.1';

export const BLUEPRINTS = ['aws-spot-ollama', 'asg-schedule', 'proxmox-k3s', 'dns-record'] as const;
export type BlueprintName = (typeof BLUEPRINTS)[number];
export const TARGETS = ['aws', 'proxmox', 'dns', 'sandbox'] as const;
export type TargetName = (typeof TARGETS)[number];
