import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Pair } from 'yaml';
import type { ApprovalQuorum, AutoApproveRule } from '../../../access/approval-rules.js';
import { ATTRIBUTE_OPERATORS, type AttributeRule, type OrgPolicy, type Waiver } from './policy-types.js';

export type ParsePolicyResult = { ok: true; policy: OrgPolicy } | { ok: false; reason: string };

class PolicyError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
const ID = /^[A-Z][A-Z0-9_]*$/;

/** Parses and validates a policy file; every refusal names the line and what is wrong. */
export function parsePolicy(text: string, fileName = 'policy.yaml'): ParsePolicyResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = lc.linePos(first.pos[0]).line;
    return { ok: false, reason: `${fileName}:${line}: ${first.message.split('\n')[0]}` };
  }
  const at = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lc.linePos(range[0]).line : 1;
  };
  try {
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) return { ok: true, policy: {} };
    return { ok: true, policy: deepFreeze(readRoot(root, at)) };
  } catch (err) {
    if (err instanceof PolicyError) return { ok: false, reason: `${fileName}:${err.line}: ${err.message}` };
    throw err;
  }
}

type At = (node: unknown) => number;

function entries(node: unknown, at: At, where: string, allowed: readonly string[]): [string, Node, Pair][] {
  if (!isMap(node)) throw new PolicyError(at(node), `${where} must be a mapping`);
  return node.items.map((pair) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!allowed.includes(key)) {
      throw new PolicyError(
        at(pair.key),
        `${where === 'policy' ? '' : `${where}.`}${key}: unknown key (expected one of ${allowed.join(', ')})`,
      );
    }
    return [key, pair.value as Node, pair];
  });
}

function scalar(node: Node, at: At, where: string, kind: 'string' | 'number'): string | number {
  const v = isScalar(node) ? node.value : undefined;
  if (kind === 'string' && typeof v === 'string' && v.trim() !== '') return v;
  if (kind === 'number' && typeof v === 'number' && Number.isFinite(v)) return v;
  throw new PolicyError(at(node ?? null), `${where} must be ${kind === 'string' ? 'a non-empty string' : 'a number'}`);
}

function list<T>(node: Node, at: At, where: string, item: (n: Node, w: string) => T): T[] {
  if (!isSeq(node)) throw new PolicyError(at(node), `${where} must be a list`);
  return node.items.map((n, i) => item(n as Node, `${where}[${i}]`));
}

const str = (at: At) => (n: Node, w: string) => scalar(n, at, w, 'string') as string;

function readRoot(root: unknown, at: At): OrgPolicy {
  const policy: OrgPolicy = {};
  const keys = [
    'version',
    'allowedRegions',
    'allowedInstanceTypes',
    'maxMonthlyUsdPerStack',
    'allowedPorts',
    'waivers',
    'rules',
    'approvals',
    'autoApprove',
  ];
  for (const [key, value] of entries(root, at, 'policy', keys)) {
    if (key === 'version') policy.version = scalar(value, at, key, 'number') as number;
    if (key === 'allowedRegions') policy.allowedRegions = list(value, at, key, str(at));
    if (key === 'allowedInstanceTypes') policy.allowedInstanceTypes = list(value, at, key, str(at));
    if (key === 'maxMonthlyUsdPerStack') {
      const n = scalar(value, at, key, 'number') as number;
      if (n < 0) throw new PolicyError(at(value), `${key} must be >= 0`);
      policy.maxMonthlyUsdPerStack = n;
    }
    if (key === 'allowedPorts') {
      policy.allowedPorts = list(value, at, key, (n, w) => {
        const p = scalar(n, at, w, 'number') as number;
        if (!Number.isInteger(p) || p < 0 || p > 65535)
          throw new PolicyError(at(n), `${w} must be a port number 0-65535`);
        return p;
      });
    }
    if (key === 'waivers') policy.waivers = list(value, at, key, (n, w) => readWaiver(n, w, at));
    if (key === 'rules') policy.rules = list(value, at, key, (n, w) => readRule(n, w, at));
    if (key === 'approvals') policy.approvals = readApprovals(value, at);
    if (key === 'autoApprove') policy.autoApprove = list(value, at, key, (n, w) => readAutoApprove(n, w, at));
  }
  return policy;
}

function readWaiver(node: Node, where: string, at: At): Waiver {
  const w: Partial<Waiver> = {};
  for (const [key, value] of entries(node, at, where, ['ruleId', 'address', 'reason', 'expires'])) {
    const text = scalar(value, at, `${where}.${key}`, 'string') as string;
    if (key === 'ruleId' && !ID.test(text))
      throw new PolicyError(at(value), `${where}.ruleId must look like CKV_AWS_24 or CREW_OLLAMA_VPC_ONLY`);
    if (key === 'expires' && !isDate(text))
      throw new PolicyError(at(value), `${where}.expires must be a date YYYY-MM-DD`);
    w[key as keyof Waiver] = text;
  }
  for (const required of ['ruleId', 'address', 'reason', 'expires'] as const) {
    if (w[required] === undefined) throw new PolicyError(at(node), `${where}.${required} is required`);
  }
  return w as Waiver;
}

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

function readRule(node: Node, where: string, at: At): AttributeRule {
  const r: Partial<AttributeRule> = {};
  const keys = ['id', 'resourceTypes', 'resource', 'attribute', 'operator', 'value', 'severity', 'message'];
  for (const [key, value] of entries(node, at, where, keys)) {
    const w = `${where}.${key}`;
    if (key === 'id') {
      r.id = scalar(value, at, w, 'string') as string;
      if (!ID.test(r.id)) throw new PolicyError(at(value), `${w} must be UPPER_SNAKE_CASE (e.g. ORG_IMDSV2)`);
    } else if (key === 'resourceTypes') r.resourceTypes = list(value, at, w, str(at));
    else if (key === 'resource') r.resourceTypes = [scalar(value, at, w, 'string') as string];
    else if (key === 'attribute') r.attribute = scalar(value, at, w, 'string') as string;
    else if (key === 'operator') {
      const op = scalar(value, at, w, 'string') as string;
      if (!(ATTRIBUTE_OPERATORS as readonly string[]).includes(op))
        throw new PolicyError(at(value), `${w} must be one of ${ATTRIBUTE_OPERATORS.join(', ')}`);
      r.operator = op as AttributeRule['operator'];
    } else if (key === 'value') {
      // An alias resolves only against the whole document; a rule value is plain data.
      let alias = false;
      if (value && typeof value === 'object') visit(value as Node, { Alias: () => ((alias = true), visit.BREAK) });
      if (alias)
        throw new PolicyError(at(value), `${w} must be plain data: YAML aliases (*name) are not supported here`);
      r.value = (value as { toJSON?: () => unknown })?.toJSON?.() ?? (isScalar(value) ? value.value : null);
    } else if (key === 'severity') {
      const s = String(scalar(value, at, w, 'string')).toUpperCase();
      if (!(SEVERITIES as readonly string[]).includes(s))
        throw new PolicyError(at(value), `${w} must be one of ${SEVERITIES.join(', ')}`);
      r.severity = s as AttributeRule['severity'];
    } else if (key === 'message') r.message = scalar(value, at, w, 'string') as string;
  }
  for (const required of ['id', 'resourceTypes', 'attribute', 'operator', 'severity', 'message'] as const) {
    if (r[required] === undefined)
      throw new PolicyError(
        at(node),
        `${where}.${required === 'resourceTypes' ? 'resourceTypes (or resource)' : required} is required`,
      );
  }
  const needsValue = r.operator !== 'exists' && r.operator !== 'not_exists';
  if (needsValue && r.value === undefined)
    throw new PolicyError(at(node), `${where}.value is required for operator ${r.operator}`);
  if ((r.operator === 'in' || r.operator === 'not_in') && !Array.isArray(r.value))
    throw new PolicyError(at(node), `${where}.value must be a list for operator ${r.operator}`);
  if (r.operator === 'matches') {
    try {
      new RegExp(String(r.value));
    } catch {
      throw new PolicyError(at(node), `${where}.value is not a valid regular expression`);
    }
  }
  return r as AttributeRule;
}

function count(node: Node, at: At, where: string): number {
  const n = scalar(node, at, where, 'number') as number;
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new PolicyError(at(node), `${where} must be a whole number 1-20`);
  return n;
}

function readApprovals(node: Node, at: At): ApprovalQuorum {
  const q: ApprovalQuorum = { required: 1 };
  for (const [key, value] of entries(node, at, 'approvals', ['required', 'destructive', 'overMonthlyUsd'])) {
    const w = `approvals.${key}`;
    if (key === 'required') q.required = count(value, at, w);
    if (key === 'destructive') q.destructive = count(value, at, w);
    if (key === 'overMonthlyUsd') {
      const over: Partial<{ amount: number; required: number }> = {};
      for (const [k, v] of entries(value, at, w, ['amount', 'required'])) {
        if (k === 'amount') {
          over.amount = scalar(v, at, `${w}.amount`, 'number') as number;
          if (over.amount < 0) throw new PolicyError(at(v), `${w}.amount must be >= 0`);
        } else over.required = count(v, at, `${w}.required`);
      }
      if (over.amount === undefined || over.required === undefined)
        throw new PolicyError(at(value), `${w} needs both amount and required`);
      q.overMonthlyUsd = { amount: over.amount, required: over.required };
    }
  }
  return q;
}

const AUTO_BLUEPRINTS = ['dns-record', 'asg-schedule', 'aws-spot-ollama', 'proxmox-k3s'];

function readAutoApprove(node: Node, where: string, at: At): AutoApproveRule {
  const r: Partial<AutoApproveRule> = {};
  for (const [key, value] of entries(node, at, where, ['id', 'blueprint', 'zone', 'action'])) {
    const text = scalar(value, at, `${where}.${key}`, 'string') as string;
    if (key === 'id' && !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(text))
      throw new PolicyError(at(value), `${where}.id must be letters, digits, dot, dash or underscore`);
    if (key === 'blueprint' && !AUTO_BLUEPRINTS.includes(text))
      throw new PolicyError(at(value), `${where}.blueprint must be one of ${AUTO_BLUEPRINTS.join(', ')}`);
    // A removal is never low risk: it cannot be declared for auto-approval.
    if (key === 'action' && text !== 'add')
      throw new PolicyError(at(value), `${where}.action must be add (a remove always needs a person)`);
    r[key as keyof AutoApproveRule] = text;
  }
  if (r.blueprint === undefined) throw new PolicyError(at(node), `${where}.blueprint is required`);
  if (r.blueprint === 'dns-record' && (r.zone === undefined || r.action === undefined))
    throw new PolicyError(at(node), `${where}: a dns-record rule must name its zone and action: add`);
  const id = r.id ?? [r.blueprint, r.action, r.zone].filter(Boolean).join('-');
  return { id, blueprint: r.blueprint, ...(r.zone ? { zone: r.zone } : {}), ...(r.action ? { action: r.action } : {}) };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
