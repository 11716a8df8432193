import { regex } from '../../util/regexps.js';
/**
 * Sizes as people write them: "16 GB", "16 gigs", "16g", "4096 MB", "4 GiB", "2 TB". GB and GiB
 * are read alike (8 GB = 8192 MiB, 1 TB = 1024 GB), as everywhere in Atlas: the modules take MiB
 * and GiB, and nobody asking for "8 GB of RAM" means 7629 MiB.
 */
const GIB = 'gigabytes?|gibibytes?|gigs?|gib|gbs|gb|g';
const MIB = 'megabytes?|mebibytes?|megs?|mib|mbs|mb';
const TIB = 'terabytes?|tebibytes?|tib|tbs|tb|t';

/** A unit for a disk (GiB or TiB), one capture group. */
export const DISK_UNIT = `(${GIB}|${TIB})`;
/** A unit a machine's memory is said in (MiB or GiB), one capture group. */
export const RAM_UNIT = `(${MIB}|${GIB})`;
/** A unit for memory (MiB, GiB or TiB), one capture group. */
export const MEMORY_UNIT = `(${MIB}|${GIB}|${TIB})`;

const isTib = (unit: string) => regex(`^(?:${TIB})$`).test(unit);
const isMib = (unit: string) => regex(`^(?:${MIB})$`).test(unit);

/** A disk size in GiB; a missing unit is GiB. */
export function toGib(n: number, unit = 'gb'): number {
  return isTib(unit.toLowerCase()) ? Math.round(n * 1024) : Math.round(n);
}

/** From this many, a memory size without a unit is MiB: no VM asks for 512 GiB in a bare number. */
const UNITLESS_MIB_FROM = 512;

/**
 * A memory size in MiB. A missing unit is GiB for a small number ("memory 16", "mem=8" are GiB)
 * and MiB from 512 ("mem=8192", "ram 4096"): the module's variable is in MiB, and a ticket's
 * `key=value` run writes it so.
 */
export function toMib(n: number, unit?: string): number {
  const u = (unit ?? (n >= UNITLESS_MIB_FROM ? 'mb' : 'gb')).toLowerCase();
  if (isMib(u)) return Math.round(n);
  return Math.round(n * (isTib(u) ? 1024 * 1024 : 1024));
}
