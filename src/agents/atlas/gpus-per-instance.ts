import { refuse, type Refusal } from '../../errors.js';

// GPUs per instance of the accelerated instance types Atlas reads (AWS's instance type pages):
// the sizes not listed in a family have one GPU; Inferentia and Trainium (inf2, trn1) have none
// Ollama can use.
const FAMILY_GPUS: Record<string, { sizes: Record<string, number>; otherwise: number }> = {
  g4dn: { sizes: { '12xlarge': 4, metal: 8 }, otherwise: 1 },
  g4ad: { sizes: { '8xlarge': 2, '16xlarge': 4 }, otherwise: 1 },
  g5: { sizes: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 }, otherwise: 1 },
  g5g: { sizes: { '16xlarge': 2, metal: 2 }, otherwise: 1 },
  g6: { sizes: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 }, otherwise: 1 },
  g6e: { sizes: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 }, otherwise: 1 },
  gr6: { sizes: {}, otherwise: 1 },
  p3: { sizes: { '8xlarge': 4, '16xlarge': 8 }, otherwise: 1 },
  p3dn: { sizes: {}, otherwise: 8 },
  p4d: { sizes: {}, otherwise: 8 },
  p5: { sizes: {}, otherwise: 8 },
};

/** How many GPUs one instance of `type` has; undefined for a type without GPUs (or one Atlas does not know). */
export function gpusPerInstance(type: string): number | undefined {
  const [family, size] = type.split('.');
  const f = FAMILY_GPUS[family ?? ''];
  return f && size ? (f.sizes[size] ?? f.otherwise) : undefined;
}

/**
 * GPUs per instance whichever of `types` Spot hands out (the type with the fewest decides);
 * undefined when one of them has no GPU Atlas knows of.
 */
export function fewestGpus(types: readonly string[]): number | undefined {
  const per = types.map(gpusPerInstance);
  return per.length > 0 && per.every((n) => n !== undefined) ? Math.min(...(per as number[])) : undefined;
}

/**
 * The instances that give at least `gpus` GPUs whichever of `types` Spot hands out (the type with
 * the fewest GPUs decides), and a note saying so; refused when one of the types has no GPU.
 */
export function instancesForGpus(
  gpus: number,
  types: readonly string[],
): { ok: true; instances: number; perInstance: number } | Refusal<'bad-input'> {
  const perInstance = fewestGpus(types);
  if (perInstance === undefined)
    return refuse(
      'bad-input',
      `${types.find((t) => gpusPerInstance(t) === undefined)} has no GPU Atlas knows of, so ${gpus} GPU(s) cannot be counted in its instances: say how many instances, or name a GPU type (g4dn, g5, g6, p3…)`,
    );
  return { ok: true, instances: Math.ceil(gpus / perInstance), perInstance };
}
