import { randomBytes } from 'node:crypto';
import { execa } from 'execa';

// Several "hosts" on one machine: a network namespace each, joined to a bridge in the root
// namespace by a veth pair, on a private /24 of their own. A namespace has no default route:
// it reaches the bridge's address (where the test binds the services it shares) and nothing
// else. Needs root (CAP_NET_ADMIN) and iproute2; fails, never skips, without them.

const NAME = /^crew-chaos-(\d+)-([0-9a-f]{6})-\d+$/;

export interface Host {
  /** The namespace (`ip netns exec <ns> …`). */
  ns: string;
  /** Its address on the bridge. */
  address: string;
}

export interface HostNetwork {
  /** The root side's address on the bridge: bind shared services here. */
  address: string;
  /** The /24, e.g. 10.213.7.0/24. */
  subnet: string;
  hosts: Host[];
  /** The command prefix that runs a program on host `i`. */
  exec(i: number): string[];
  /** SIGKILLs whatever still runs in the namespaces, then removes them and the bridge. Safe twice. */
  close(): Promise<void>;
}

async function ip(args: string[]): Promise<string> {
  const r = await execa('ip', args, { reject: false });
  if (r.failed) throw new Error(`ip ${args.join(' ')} failed: ${String(r.stderr || r.message).trim()}`);
  return String(r.stdout);
}

/** What the test needs to make namespaces, said plainly when it is missing. */
export async function requireNetworkAdmin(): Promise<void> {
  const need =
    'the multi-host chaos test makes network namespaces and veth pairs: run it as root (CAP_NET_ADMIN) on Linux with iproute2 (apt-get install iproute2)';
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    throw new Error(`${need}; this process runs as uid ${process.getuid()}`);
  const probe = `crew-chaos-probe-${randomBytes(3).toString('hex')}`;
  try {
    await ip(['netns', 'add', probe]);
  } catch (err) {
    throw new Error(`${need}; ${err instanceof Error ? err.message : String(err)}`);
  }
  await ip(['netns', 'del', probe]).catch(() => undefined);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function killInside(ns: string): Promise<void> {
  const pids = (await ip(['netns', 'pids', ns]).catch(() => '')).split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
}

async function remove(namespaces: string[], bridge: string): Promise<void> {
  for (const ns of namespaces) {
    await killInside(ns);
    // Deleting the namespace deletes its veth end, and with it the peer on the bridge.
    await ip(['netns', 'del', ns]).catch(() => undefined);
  }
  await ip(['link', 'del', bridge]).catch(() => undefined);
}

/** Namespaces a run left behind when its process died before cleaning up. */
async function sweepLeftovers(): Promise<void> {
  const names = (await ip(['netns', 'list']).catch(() => '')).split('\n').map((l) => l.split(' ')[0] ?? '');
  const dead = new Map<string, string[]>();
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    dead.set(m[2]!, [...(dead.get(m[2]!) ?? []), name]);
  }
  for (const [token, namespaces] of dead) await remove(namespaces, `cc${token}br`);
}

function toInt(address: string): number {
  return address.split('.').reduce((n, o) => n * 256 + Number(o), 0) >>> 0;
}

/** The IPv4 prefixes the machine routes or holds already, as [first, last] ranges. */
async function usedRanges(): Promise<Array<[number, number]>> {
  const text = `${await ip(['-4', 'route', 'show', 'table', 'all'])}\n${await ip(['-4', '-o', 'addr', 'show'])}`;
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(/(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)) {
    const bits = m[2] === undefined ? 32 : Number(m[2]);
    const size = 2 ** (32 - bits);
    const first = toInt(m[1]!) - (toInt(m[1]!) % size);
    if (bits > 0) out.push([first, first + size - 1]);
  }
  return out;
}

/** A 10.x.y.0/24 that overlaps nothing the machine routes or holds. */
async function freeSubnet(): Promise<string> {
  const used = await usedRanges();
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = `10.${200 + (randomBytes(1)[0]! % 50)}.${randomBytes(1)[0]!}.0`;
    const first = toInt(base);
    if (!used.some(([a, b]) => first <= b && first + 255 >= a)) return base.replace(/\.0$/, '');
  }
  throw new Error('no free 10.200–249.x.0/24 for the test hosts: every one collides with a route');
}

/** `count` hosts on a private /24; the caller closes it (also when the test fails). */
export async function makeHostNetwork(count: number): Promise<HostNetwork> {
  await requireNetworkAdmin();
  await sweepLeftovers();
  const token = randomBytes(3).toString('hex');
  const bridge = `cc${token}br`;
  const prefix = await freeSubnet();
  const address = `${prefix}.1`;
  const hosts: Host[] = Array.from({ length: count }, (_, i) => ({
    ns: `crew-chaos-${process.pid}-${token}-${i}`,
    address: `${prefix}.${11 + i}`,
  }));
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= remove(
      hosts.map((h) => h.ns),
      bridge,
    ));
  try {
    await ip(['link', 'add', bridge, 'type', 'bridge']);
    await ip(['addr', 'add', `${address}/24`, 'dev', bridge]);
    await ip(['link', 'set', bridge, 'up']);
    for (const [i, h] of hosts.entries()) {
      const outside = `cc${token}h${i}`;
      const inside = `cc${token}n${i}`;
      await ip(['netns', 'add', h.ns]);
      await ip(['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside]);
      await ip(['link', 'set', outside, 'master', bridge]);
      await ip(['link', 'set', outside, 'up']);
      await ip(['link', 'set', inside, 'netns', h.ns]);
      await ip(['-n', h.ns, 'addr', 'add', `${h.address}/24`, 'dev', inside]);
      await ip(['-n', h.ns, 'link', 'set', inside, 'up']);
      await ip(['-n', h.ns, 'link', 'set', 'lo', 'up']);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return {
    address,
    subnet: `${prefix}.0/24`,
    hosts,
    exec: (i) => ['ip', 'netns', 'exec', hosts[i]!.ns],
    close,
  };
}
