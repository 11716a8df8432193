import { readFile } from 'node:fs/promises';
import { parseUsageFile, type UsageFile } from '../agents/sentinel/cost/read-usage-file.js';
import { evaluatePlan } from '../agents/sentinel/evaluate-plan.js';
import { readPlanBytes } from '../agents/sentinel/plan/read-plan.js';
import { parsePolicy } from '../agents/sentinel/policy/parse-policy.js';
import type { OrgPolicy } from '../agents/sentinel/policy/policy-types.js';
import { renderCheckReport } from '../agents/sentinel/render-check-report.js';
import { readUsd } from './read-option-values.js';

export interface CheckCommandOptions {
  budget?: string;
  spent?: string;
  policy?: string;
  /** Infracost usage file (infracost-usage.yml) for usage-based components. */
  usageFile?: string;
  json?: boolean;
}

export interface CheckCommandIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** When the plan would be applied (rules about schedules read it): now, unless a test fixes it. */
  now?: () => Date;
}

/** Exit codes: 0 PASS, 2 FAIL (a refusal, not an error), 1 operational error. */
export const CHECK_EXIT = { pass: 0, error: 1, fail: 2 } as const;

function parseUsd(text: string | undefined, flag: string, allowZero: boolean): number | undefined | string {
  if (text === undefined) return undefined;
  const read = readUsd(text, flag, { allowZero });
  return read.ok ? read.value : read.refusal;
}

async function readBytes(
  path: string,
  what: string,
): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }> {
  try {
    return { ok: true, bytes: await readFile(path) };
  } catch (err) {
    return {
      ok: false,
      reason: `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    };
  }
}

async function readText(
  path: string,
  what: string,
): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  const read = await readBytes(path, what);
  return read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read;
}

/** `crew check <plan.json>`: runs Sentinel on a `terraform show -json` file. */
export async function runCheckCommand(file: string, opts: CheckCommandOptions, io: CheckCommandIo): Promise<number> {
  const budget = parseUsd(opts.budget, '--budget', false);
  const spent = parseUsd(opts.spent, '--spent', true);
  for (const v of [budget, spent]) {
    if (typeof v === 'string') {
      io.err(`crew check: ${v}`);
      return CHECK_EXIT.error;
    }
  }
  let policy: OrgPolicy | undefined;
  if (opts.policy) {
    const text = await readText(opts.policy, 'policy file');
    if (!text.ok) {
      io.err(`crew check: ${text.reason}`);
      return CHECK_EXIT.error;
    }
    const parsed = parsePolicy(text.text, opts.policy);
    if (!parsed.ok) {
      io.err(`crew check: invalid policy: ${parsed.reason}`);
      return CHECK_EXIT.error;
    }
    policy = parsed.policy;
  }
  let usage: UsageFile | undefined;
  if (opts.usageFile) {
    const text = await readText(opts.usageFile, 'usage file');
    const parsed = text.ok ? parseUsageFile(text.text, opts.usageFile) : text;
    if (!parsed.ok) {
      io.err(`crew check: ${text.ok ? 'invalid usage file: ' : ''}${parsed.reason}`);
      return CHECK_EXIT.error;
    }
    usage = parsed.usage;
  }
  const bytes = await readBytes(file, 'plan file');
  if (!bytes.ok) {
    io.err(`crew check: ${bytes.reason}`);
    return CHECK_EXIT.error;
  }
  const plan = readPlanBytes(bytes.bytes, file);
  if (!plan.ok) {
    io.err(`crew check: ${plan.reason}`);
    return CHECK_EXIT.error;
  }
  const result = evaluatePlan(plan.plan, {
    budgetUsd: (budget as number | undefined) ?? null,
    spentUsd: (spent as number | undefined) ?? 0,
    ...(policy ? { policy } : {}),
    ...(usage ? { usage } : {}),
    ...(io.now ? { now: io.now() } : {}),
  });
  io.out(opts.json ? JSON.stringify(result, null, 2) : renderCheckReport(result, file));
  return result.verdict === 'PASS' ? CHECK_EXIT.pass : CHECK_EXIT.fail;
}
