import type { AwsSpotOllamaSpec, ProxmoxK3sSpec } from '../../contracts/artifacts.js';

// PlanSpecs shared by the forge unit and integration tests.

const common = {
  budget: { monthlyUsd: 300, brakeRatio: 0.8 },
  risk: { destructive: false, level: 'low' as const },
  rationale: [],
  diagram: 'graph TD',
  parsedBy: 'rules' as const,
};

export function awsSpec(params: Partial<AwsSpotOllamaSpec['params']> = {}): AwsSpotOllamaSpec {
  return {
    ...common,
    blueprint: 'aws-spot-ollama',
    stack: 'ollama-dev',
    target: 'sandbox',
    region: 'eu-west-1',
    params: {
      instanceTypes: ['g4dn.xlarge', 'g5.xlarge'],
      minSize: 0,
      maxSize: 2,
      desiredCapacity: 1,
      onDemandBase: 0,
      vpcCidr: '10.42.0.0/16',
      privateSubnetCidrs: ['10.42.1.0/24', '10.42.2.0/24'],
      ollamaPort: 11434,
      allowedCidrs: ['10.42.0.0/16'],
      model: 'llama3.1:8b',
      volumeGb: 100,
      schedule: {
        stop: { day: 'FRI', time: '22:00' },
        start: { day: 'MON', time: '07:00' },
        timezone: 'Europe/Dublin',
      },
      ...params,
    },
  };
}

export function proxmoxSpec(params: Partial<ProxmoxK3sSpec['params']> = {}): ProxmoxK3sSpec {
  return {
    ...common,
    blueprint: 'proxmox-k3s',
    stack: 'k3s-lab',
    target: 'sandbox',
    params: {
      servers: 3,
      workers: 2,
      gpuWorkers: 1,
      vmTemplate: '9000',
      node: 'pve1',
      cores: 4,
      memoryMb: 8192,
      diskGb: 64,
      network: 'vmbr0',
      ...params,
    },
  };
}
