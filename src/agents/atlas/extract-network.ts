import { isIPv6 } from 'node:net';
import type { GoalScan } from './goal-scan.js';
import { regex } from '../../util/regexps.js';
import { isRemoved } from './read-removals.js';

export interface NetworkFacts {
  allowedCidrs: string[];
  /** "remove 10.9.0.0/16", "stop allowing 10.9.0.0/16": ranges the goal takes away from those allowed. */
  removedCidrs: string[];
  vpcCidr?: string;
  subnetCidrs: string[];
  ipv4: string[];
  ipv6: string[];
  /** "open to the internet" without a literal CIDR: recorded as 0.0.0.0/0 so Sentinel sees it. */
  worldOpenWords: boolean;
  port?: number;
}

const octetsValid = (ip: string): boolean =>
  ip.split('.').every((o) => /^(?:0|[1-9]\d{0,2})$/.test(o) && Number(o) <= 255);

const CIDR_RE = /(?<!\d)(?<!\d\.)(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,3})(?!\d)/g;
const IPV4_RE = /(?<!\d)(?<!\d\.)(\d{1,4}(?:\.\d{1,4}){3})(?!\.?\d)/g;
const IPV6_RE = /(?<![0-9a-z:])((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4})(\/\d{1,3})?(?![0-9a-z:])/g;
const WORLD_RE =
  /\b(?:(?:open(?:ed)?|exposed?|reachable|accessible|available|allow(?:ed)?)\s+(?:it\s+|this\s+|them\s+|(?:the\s+)?port\s+(?:\d+\s+)?)?(?:to|from)|from)\s+(?:the\s+)?(?:whole\s+|entire\s+|public\s+|open\s+)?(?:internet|world|everyone|everybody|everywhere|anywhere|any ip|all ips)\b/;

const FOREIGN_PORT = String.raw`(?:ssh|rdp|telnet|ftp|vnc|remote\s+desktop|port\s+(?:22|3389|23|21|5900)\b)`;
const RANGE = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|(?:the\s+)?(?:whole\s+|entire\s+|public\s+|open\s+)?(?:internet|world|everyone|everybody|everywhere|anywhere|any\s+ip|all\s+ips))`;
const FOREIGN_ACCESS_RE = regex(
  String.raw`\b${FOREIGN_PORT}(?:\s+(?:access|port\s+\d+))?[^.;,]{0,40}?\b(?:to|from|for)\s+${RANGE}|\b(?:from|allow|let)\s+${RANGE}[^.;,]{0,30}?\b${FOREIGN_PORT}`,
);

/** Reads CIDRs (by role), bare IPs and the port; invalid values become errors, never guesses. */
export function extractNetwork(scan: GoalScan): NetworkFacts {
  const facts: NetworkFacts = {
    allowedCidrs: [],
    removedCidrs: [],
    subnetCidrs: [],
    ipv4: [],
    ipv6: [],
    worldOpenWords: false,
  };
  // "open SSH port 22 to 0.0.0.0/0": a range given to a port or protocol the blueprints cannot
  // open. Read as allowedCidrs it would open the Ollama port instead: asked, naming it.
  const foreign = FOREIGN_ACCESS_RE.exec(scan.lower);
  if (foreign)
    scan.ask(
      `"${scan.rawAt(foreign.index, foreign[0].length).trim()}" asks for access the blueprint cannot express: it opens only the Ollama port (11434 unless set), never SSH, RDP or other ports (use SSM Session Manager). Say which range may reach the Ollama port, or leave the access out.`,
    );
  let lastRole: 'vpc' | 'subnet' | 'allowed' | undefined;
  let lastEnd = -1;
  for (const m of scan.take(CIDR_RE)) {
    const [text, ip = '', prefix = ''] = m;
    if (!octetsValid(ip) || Number(prefix) > 32) {
      scan.fail(`${text} is not a valid IPv4 CIDR`);
      continue;
    }
    const gap = lastEnd >= 0 ? scan.lower.slice(lastEnd, m.index) : '';
    const before = scan.lower.slice(Math.max(0, m.index - 30), m.index);
    // A list ("subnets 10.0.1.0/24 and 10.0.2.0/24") keeps the role of its first item.
    let role: 'vpc' | 'subnet' | 'allowed';
    if (lastRole && /^[\s,]*(?:and|&|,)?[\s,]*$/.test(gap)) role = lastRole;
    else if (/subnets?\b[^.;]*$/.test(before)) role = 'subnet';
    else if (
      /\bvpc\b[^.;]*$/.test(before) &&
      !/\b(?:from|allow|open|access)\b[^.;]*$/.test(before.slice(before.lastIndexOf('vpc')))
    )
      role = 'vpc';
    else role = 'allowed';
    if (role === 'vpc' && facts.vpcCidr) role = 'allowed';
    if (role === 'vpc') facts.vpcCidr = text;
    else if (role === 'subnet') facts.subnetCidrs.push(text);
    else if (isRemoved(scan.lower, m.index, m.index + text.length)) {
      if (!facts.removedCidrs.includes(text)) facts.removedCidrs.push(text);
    } else if (!facts.allowedCidrs.includes(text)) facts.allowedCidrs.push(text);
    lastRole = role;
    lastEnd = m.index + text.length;
  }
  // "the VPC plan from networking: 10.80.0.0/16, private subnets 10.80.1.0/24 and 10.80.2.0/24":
  // with no VPC said as such, the one range holding every subnet is the VPC, not an allowed range.
  if (!facts.vpcCidr && facts.subnetCidrs.length > 0 && /\bvpc\b/.test(scan.lower)) {
    const holders = facts.allowedCidrs.filter((c) => facts.subnetCidrs.every((sub) => cidrHolds(c, sub)));
    if (holders.length === 1 && holders[0] !== undefined) {
      facts.vpcCidr = holders[0];
      facts.allowedCidrs = facts.allowedCidrs.filter((c) => c !== holders[0]);
    }
  }
  const looksV6 = (m: RegExpExecArray) => (m[1] ?? '').includes('::') || (m[1] ?? '').split(':').length === 8;
  for (const m of scan.take(IPV6_RE, looksV6)) {
    const [text, ip = '', prefix] = m;
    if (!isIPv6(ip)) scan.fail(`${text} is not a valid IPv6 address`);
    else if (prefix) scan.fail(`${text}: IPv6 ranges are not supported; the blueprints take IPv4 CIDRs only`);
    else facts.ipv6.push(ip);
  }
  for (const m of scan.take(IPV4_RE)) {
    const ip = m[1] ?? '';
    if (!octetsValid(ip)) scan.fail(`${ip} is not a valid IPv4 address (each part must be 0-255)`);
    else facts.ipv4.push(ip);
  }
  if (WORLD_RE.test(scan.rest)) facts.worldOpenWords = true;
  const port = scan.takeFirst(/\bport\s*(?:of\s+|=\s*|:\s*)?(-?\d+)\b/g);
  if (port) {
    const n = Number(port[1]);
    if (n < 1 || n > 65535) scan.fail(`port ${port[1]} is out of range (1-65535)`);
    else facts.port = n;
  }
  return facts;
}

/** Whether a CIDR lies inside another (both already valid). */
export function cidrInside(inner: string, outer: string): boolean {
  const [ia = '', ip = '0'] = inner.split('/');
  const [oa = '', op = '0'] = outer.split('/');
  if (Number(ip) < Number(op)) return false;
  const mask = Number(op) === 0 ? 0 : (~0 << (32 - Number(op))) >>> 0;
  return (toInt(ia) & mask) >>> 0 === (toInt(oa) & mask) >>> 0;
}

export function toInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
}

export function fromInt(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** Two /20s at the start of a VPC (or two halves of a smaller one) for the private subnets. */
export function defaultSubnets(vpcCidr: string): string[] {
  const [addr = '', p = '16'] = vpcCidr.split('/');
  const prefix = Number(p);
  const sub = prefix <= 19 ? 20 : Math.min(prefix + 1, 28);
  const size = 2 ** (32 - sub);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  const base = (toInt(addr) & mask) >>> 0;
  return [`${fromInt(base)}/${sub}`, `${fromInt(base + size)}/${sub}`];
}

const ipToInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** Whether the IPv4 range `outer` holds the range `inner` ("10.80.0.0/16" holds "10.80.1.0/24"). */
function cidrHolds(outer: string, inner: string): boolean {
  const [oa = '', op = '32'] = outer.split('/');
  const [ia = '', ip = '32'] = inner.split('/');
  const bits = Number(op);
  if (Number(ip) < bits) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ipToInt(oa) / size) === Math.floor(ipToInt(ia) / size);
}
