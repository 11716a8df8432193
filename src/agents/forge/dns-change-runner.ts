import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DnsRecordParams, PlanSpec } from '../../../contracts/index.js';
import type { EnvSource } from '../../config/read-env-values.js';
import type { DnsTarget } from '../../config/read-dns-settings.js';
import { CrewError } from '../../errors.js';
import { sha256Hex } from '../../util/new-id.js';
import { StalePlanError, type BuiltPlan, type ChangeRunner, type PlanRequest } from './change-runner.js';
import {
  fingerprintRecords,
  readDnsPlanFile,
  serverLabel,
  type DnsPlanFile,
  type DnsRecordData,
} from './dns-plan-file.js';
import { locatePlaybook } from './locate-playbook.js';
import { isInZone, normalizeDnsRecord, type DnsRecord } from './normalize-dns-record.js';
import { renderDnsPlanJson } from './render-dns-plan-json.js';
import { runDnsPlaybook, type DnsPlaybookOptions, type DnsPlaybookResult } from './run-dns-playbook.js';
import type { StackWorkspace } from './stack-workspace.js';
import { SubprocessError } from './subprocess-error.js';
import { summarizeChanges } from './summarize-changes.js';

export interface DnsChangeRunnerOptions {
  target: DnsTarget;
  /** Default: ansible-playbook from PATH. */
  ansiblePlaybookBin?: string;
  /** Default: playbooks/dns/dns-record.yml of this checkout. */
  playbook?: string;
  /** Per ansible-playbook run; default 2 minutes. */
  timeoutMs?: number;
  onLog?: (line: string) => void;
  /** Where PATH, HOME, LANG and ANSIBLE_* come from (the crew's config.inheritedEnv). */
  env: EnvSource;
}

const PLAN_SUFFIX = '.dnsplan.json';

/** The records a removal takes away, as the server holds them now: what the reviewer approves. */
function describeRemoval(record: DnsRecord, current: DnsRecordData[], desired: DnsRecordData[]): { review?: string } {
  const kept = new Set(desired.map((d) => `${d.ttl} ${d.rdata}`));
  const gone = current.filter((c) => !kept.has(`${c.ttl} ${c.rdata}`));
  if (gone.length === 0) return {};
  const rows = gone.map((c) => `${record.fqdn} ${c.ttl} IN ${record.type} ${c.rdata}`);
  return { review: [`Removes ${gone.length} record(s) the server holds now:`, ...rows].join('\n') };
}

/** The dns-record blueprint: one record on a BIND server, through playbooks/dns (nsupdate + TSIG). */
export class DnsChangeRunner implements ChangeRunner {
  private readonly playbook: DnsPlaybookOptions;
  private readonly server: string;

  constructor(private readonly o: DnsChangeRunnerOptions) {
    this.server = serverLabel(o.target.host, o.target.port);
    this.playbook = {
      target: o.target,
      bin: o.ansiblePlaybookBin ?? 'ansible-playbook',
      playbook: o.playbook ?? locatePlaybook('dns', 'dns-record.yml'),
      timeoutMs: o.timeoutMs ?? 120_000,
      ...(o.onLog ? { onLog: o.onLog } : {}),
      env: o.env,
    };
  }

  /** `--check --diff` against the server; saves what it saw so apply can tell if it moved. */
  async plan(spec: PlanSpec, ws: StackWorkspace, request: PlanRequest): Promise<BuiltPlan> {
    const { params, record } = this.recordOf(spec);
    const wholeSet = record.value === undefined;
    if (wholeSet && request.destroy)
      throw new CrewError(
        'CREW_ERR_BAD_INPUT',
        `the removal of every ${record.type} record of ${record.fqdn} cannot be undone from the spec, which holds no value; add the record again with its value`,
      );
    // Undoing an add removes the record; undoing a remove puts it back.
    const action = request.destroy ? (params.action === 'add' ? 'remove' : 'add') : params.action;
    const r = await runDnsPlaybook(this.playbook, ws, { name: request.name, record, action, check: true });
    const q = r.query;
    if (r.exitCode !== 0 || !q) throw this.failure(`planning ${action} of ${record.fqdn} ${record.type}`, r);
    if (wholeSet && q.current.length === 0)
      throw new CrewError(
        'CREW_ERR_BAD_INPUT',
        `${record.fqdn.replace(/\.$/, '')} has no ${record.type} record on ${this.server} (${q.status}): nothing to remove`,
      );
    const plan: DnsPlanFile = {
      kind: 'crew-dns-plan',
      version: 1,
      server: this.server,
      record,
      action,
      current: { status: q.status, records: q.current, observed: q.observed },
      desired: q.desired,
      changes: q.changed,
      fingerprint: fingerprintRecords(q.observed),
    };
    await mkdir(ws.plansDir, { recursive: true });
    const planPath = join(ws.plansDir, `${request.name}${PLAN_SUFFIX}`);
    const planText = `${JSON.stringify(plan, null, 2)}\n`;
    await writeFile(planPath, planText);
    const planJson = renderDnsPlanJson(plan);
    const jsonText = JSON.stringify(planJson);
    const jsonPath = ws.planJsonFile(request.name);
    await writeFile(jsonPath, jsonText);
    return {
      changes: plan.changes,
      planFile: { path: planPath, sha256: sha256Hex(planText) },
      planJson: { path: jsonPath, sha256: sha256Hex(jsonText) },
      summary: summarizeChanges(planJson),
      ...(action === 'remove' ? describeRemoval(record, q.current, q.desired) : {}),
    };
  }

  /** Sends exactly the saved plan, conditional on the server still holding what the plan saw. */
  async apply(spec: PlanSpec, ws: StackWorkspace, planFile: string): Promise<void> {
    const plan = await readDnsPlanFile(planFile);
    const { record } = this.recordOf(spec);
    if (plan.server !== this.server) {
      throw new CrewError(
        'CREW_ERR_BAD_INPUT',
        `this plan was made against ${plan.server}, but the dns target is ${this.server}; plan again`,
      );
    }
    if (plan.record.fqdn !== record.fqdn || plan.record.type !== record.type) {
      throw new CrewError(
        'CREW_ERR_BAD_INPUT',
        `the plan file changes ${plan.record.fqdn} ${plan.record.type}, not the spec's ${record.fqdn} ${record.type}`,
      );
    }
    const name = `${basename(planFile, PLAN_SUFFIX)}-apply`;
    const r = await runDnsPlaybook(this.playbook, ws, {
      name,
      record: plan.record,
      action: plan.action,
      check: false,
      expect: plan.current.observed,
    });
    const seen = r.query?.observed;
    if (r.stale || r.query?.stale || (seen && fingerprintRecords(seen) !== plan.fingerprint)) {
      const now = seen?.length ? seen.join(', ') : seen ? 'nothing' : 'something else';
      const then = plan.current.observed.length ? plan.current.observed.join(', ') : 'nothing';
      throw new StalePlanError(
        `${plan.record.fqdn} ${plan.record.type} on ${this.server} changed since the plan: it holds ${now}, the plan saw ${then}`,
      );
    }
    if (r.exitCode !== 0) throw this.failure(`applying ${plan.action} of ${plan.record.fqdn} ${plan.record.type}`, r);
  }

  outputs(spec: PlanSpec, _ws?: StackWorkspace): Promise<Record<string, unknown>> {
    const { record } = this.recordOf(spec);
    return Promise.resolve({
      fqdn: record.fqdn.replace(/\.$/, ''),
      type: record.type,
      value: record.value,
      server: this.server,
    });
  }

  private recordOf(spec: PlanSpec): { params: DnsRecordParams; record: DnsRecord } {
    if (spec.blueprint !== 'dns-record')
      throw new CrewError('CREW_ERR_BAD_INPUT', `the DNS runner builds dns-record plans, not ${spec.blueprint}`);
    if (spec.target !== 'dns')
      throw new CrewError('CREW_ERR_BAD_INPUT', `dns-record plans run on the dns target, not ${spec.target}`);
    const record = normalizeDnsRecord(spec.params);
    const zone = this.o.target.zone;
    if (zone && !isInZone(record, zone))
      throw new CrewError(
        'CREW_ERR_BAD_INPUT',
        `${record.fqdn} is outside zone ${zone}, the only zone this dns target changes`,
      );
    return { params: spec.params, record };
  }

  private failure(what: string, r: DnsPlaybookResult): SubprocessError {
    // The failed task's message is what matters in Ansible's output, and the message quotes it.
    const message = `${what} on ${this.server} failed: ${r.error || `ansible-playbook exit ${r.exitCode} without a result`}`;
    return new SubprocessError(message, {
      command: 'ansible-playbook',
      failureCode: 'CREW_ERR_ANSIBLE',
      exitCode: r.exitCode,
      stale: r.stale,
      stderr: '',
    });
  }
}
