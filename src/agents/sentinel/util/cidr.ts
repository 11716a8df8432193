// CIDR arithmetic for containment checks (IPv4 and IPv6), using BigInt for both.

export interface Cidr {
  version: 4 | 6;
  network: bigint;
  prefix: number;
}

function parseV4(ip: string): bigint | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(ip: string): bigint | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

export function parseCidr(text: string): Cidr | null {
  const [ip, bits, extra] = text.trim().split('/');
  if (!ip || extra !== undefined) return null;
  const version = ip.includes(':') ? 6 : 4;
  const width = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width || (bits !== undefined && !/^\d+$/.test(bits)))
    return null;
  const addr = version === 4 ? parseV4(ip) : parseV6(ip);
  if (addr === null) return null;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
  return { version, network: addr & mask, prefix };
}

/** True when every address of `inner` lies in `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || inner.prefix < outer.prefix) return false;
  const width = outer.version === 4 ? 32 : 128;
  const shift = BigInt(width - outer.prefix);
  return inner.network >> shift === outer.network >> shift;
}

export function isWorld(text: string): boolean {
  const c = parseCidr(text);
  return c !== null && c.prefix === 0;
}
