import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAnsibleEnv } from './build-ansible-env.js';
import type { DnsRecordData } from './dns-plan-file.js';
import type { DnsRecord } from './normalize-dns-record.js';
import type { EnvSource } from '../../config/read-env-values.js';
import type { DnsTarget } from '../../config/read-dns-settings.js';
import { runAnsibleProcess } from './run-ansible-process.js';
import { renderUnsafeVars } from './render-unsafe-vars.js';
import type { StackWorkspace } from './stack-workspace.js';
import { writeTsigKeyFile, type TsigKeyFile } from './write-tsig-key-file.js';

export interface DnsPlaybookOptions {
  target: DnsTarget;
  bin: string;
  playbook: string;
  timeoutMs: number;
  onLog?: (line: string) => void;
  /** Where ANSIBLE_* settings, PATH, HOME and LANG come from (the crew's config.inheritedEnv). */
  env: EnvSource;
}

export interface DnsPlaybookRun {
  /** Base name of the vars and result files in the workspace. */
  name: string;
  record: DnsRecord;
  action: 'add' | 'remove';
  /** --check --diff: query and report, change nothing. */
  check: boolean;
  /** The record set the plan saw (`ttl rdata`); the playbook stops when the server differs. */
  expect?: string[];
}

/** What the query step saw on the server (the result file the playbook's module writes). */
export interface DnsQueryResult {
  status: string;
  current: DnsRecordData[];
  observed: string[];
  desired: DnsRecordData[];
  changed: boolean;
  stale: boolean;
}

export interface DnsPlaybookResult {
  exitCode: number;
  /** Absent when the run stopped before it reached the server. */
  query?: DnsQueryResult;
  /** The failed task's message, when the run failed. */
  error: string;
  /** The run stopped because the server no longer held what the plan saw. */
  stale: boolean;
}

const isRecordData = (v: unknown): v is DnsRecordData =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as DnsRecordData).ttl === 'number' &&
  typeof (v as DnsRecordData).rdata === 'string';

function parseQuery(text: string): DnsQueryResult {
  const doc = JSON.parse(text) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isRecordData) : []);
  return {
    status: String(doc.status ?? ''),
    current: list(doc.current),
    observed: Array.isArray(doc.observed) ? doc.observed.map(String) : [],
    desired: list(doc.desired),
    changed: doc.changed === true,
    stale: doc.stale === true,
  };
}

/** The message of the last failed task (`fatal: [host]: FAILED! => {json}`), else the output's end. */
export function failureMessage(tail: string): string {
  const line = tail
    .split('\n')
    .reverse()
    .find((l) => l.includes('FAILED! => '));
  if (!line) return tail.slice(-800).trim();
  try {
    const r = JSON.parse(line.slice(line.indexOf('FAILED! => ') + 11)) as {
      msg?: unknown;
      stdout?: unknown;
      stderr?: unknown;
    };
    const detail = `${String(r.stderr ?? '')} ${String(r.stdout ?? '')}`.trim();
    return `${String(r.msg ?? 'failed')}${detail ? `: ${detail.slice(-600)}` : ''}`;
  } catch {
    return line.slice(-800);
  }
}

/**
 * Runs playbooks/dns/dns-record.yml for one record. Extra vars go in a file, never argv, and
 * every string in it is `!unsafe`: neither the record nor what the server held (`dns_expect`)
 * is ever evaluated by Ansible.
 */
export async function runDnsPlaybook(
  o: DnsPlaybookOptions,
  ws: StackWorkspace,
  run: DnsPlaybookRun,
): Promise<DnsPlaybookResult> {
  const dir = join(ws.dir, 'ansible');
  await mkdir(join(ws.dir, '.ansible', 'tmp'), { recursive: true });
  await mkdir(dir, { recursive: true });
  const varsPath = join(dir, `${run.name}.vars.yml`);
  const resultPath = join(dir, `${run.name}.result.json`);
  await rm(resultPath, { force: true });
  const { record, action } = run;
  const vars = {
    dns_server: o.target.host,
    dns_port: o.target.port,
    dns_zone: record.zone,
    dns_name: record.name,
    dns_type: record.type,
    // Empty: a removal of the whole record set (the plan shows what it holds).
    dns_value: record.value ?? '',
    dns_ttl: record.ttl,
    dns_action: action,
    dns_result_file: resultPath,
    ...(run.expect ? { dns_expect: run.expect } : {}),
  };
  await writeFile(varsPath, renderUnsafeVars(vars), { mode: 0o600 });
  let key: TsigKeyFile | undefined;
  let exitCode: number;
  let tail: string;
  try {
    key = o.target.tsig ? await writeTsigKeyFile(o.target.tsig) : undefined;
    ({ exitCode, tail } = await runAnsibleProcess({
      bin: o.bin,
      args: [o.playbook, '-e', `@${varsPath}`, ...(run.check ? ['--check', '--diff'] : ['--diff'])],
      cwd: ws.dir,
      env: buildAnsibleEnv(ws.dir, { CREW_DNS_TSIG_KEYFILE: key?.path ?? '' }, o.env),
      timeoutMs: o.timeoutMs,
      ...(o.onLog ? { onLog: o.onLog } : {}),
    }));
  } finally {
    await key?.remove();
  }
  const text = await readFile(resultPath, 'utf8').catch(() => undefined);
  const error = exitCode === 0 ? '' : failureMessage(tail);
  return {
    exitCode,
    ...(text === undefined ? {} : { query: parseQuery(text) }),
    error,
    stale: /\bstale plan:/.test(error),
  };
}
