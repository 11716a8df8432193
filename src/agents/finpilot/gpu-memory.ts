/**
 * GPU memory per instance (GiB) of the GPU types in Sentinel's price file, from
 * https://aws.amazon.com/ec2/instance-types/ (accelerated computing, read 2026-11-01): g4dn has
 * one NVIDIA T4 (16 GiB) up to 8xlarge, g5 one A10G (24 GiB) up to 16xlarge, g6 one L4
 * (24 GiB) up to 16xlarge; the multi-GPU sizes (12xlarge and up) are left out: a model split over
 * several GPUs is not the same fit as one on a single GPU. A type of the same
 * family with the same GPU memory runs the same models; it differs in vCPUs and host memory.
 */
const GPU_MEMORY_GIB: ReadonlyMap<string, number> = new Map([
  ['g4dn.xlarge', 16],
  ['g4dn.2xlarge', 16],
  ['g4dn.4xlarge', 16],
  ['g4dn.8xlarge', 16],
  ['g5.xlarge', 24],
  ['g5.2xlarge', 24],
  ['g5.4xlarge', 24],
  ['g5.8xlarge', 24],
  ['g5.16xlarge', 24],
  ['g6.xlarge', 24],
  ['g6.2xlarge', 24],
  ['g6.4xlarge', 24],
  ['g6.8xlarge', 24],
  ['g6.16xlarge', 24],
]);

export function gpuMemoryGib(instanceType: string): number | undefined {
  return GPU_MEMORY_GIB.get(instanceType);
}

export const familyOf = (instanceType: string): string => instanceType.split('.')[0] ?? instanceType;
