import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { fixture } from '../../../support/load-fixture.js';
import { evaluate, hits, lit, NOW, only, ref, type ChangeSpec } from './plan-builder.js';

const asg: ChangeSpec = {
  address: 'aws_autoscaling_group.g',
  after: {
    name: 'ollama-dev',
    min_size: 0,
    max_size: 2,
    desired_capacity: 2,
    launch_template: [{ id: 'lt-1', version: '1' }],
  },
};
const sched = (key: string, over: Record<string, unknown>, config?: Record<string, unknown>): ChangeSpec => ({
  address: `aws_autoscaling_schedule.${key}`,
  after: {
    autoscaling_group_name: 'ollama-dev',
    scheduled_action_name: key,
    time_zone: 'Europe/Paris',
    min_size: 0,
    max_size: 2,
    desired_capacity: 2,
    ...over,
  },
  ...(config ? { config } : {}),
});
const stop = sched('stop', { recurrence: '0 22 * * FRI', min_size: 0, max_size: 0, desired_capacity: 0 });
const start = sched('start', { recurrence: '0 7 * * MON' });

describe('schedules', () => {
  it('CREW_SCHEDULE_TZ fails a recurrence without time_zone', () => {
    const r = evaluate([
      asg,
      sched('stop', { recurrence: '0 22 * * 5', time_zone: null, max_size: 0, desired_capacity: 0 }),
      start,
    ]);
    expect(only(r, 'CREW_SCHEDULE_TZ')[0]?.message).toBe(
      'recurrence "0 22 * * 5" runs in UTC because time_zone is not set (22:00 in New York is already Saturday in UTC): set time_zone to the team\'s IANA zone, e.g. "Europe/Paris"',
    );
    expect(hits(evaluate([asg, stop, start]), 'CREW_SCHEDULE_TZ')).toEqual([]);
  });

  it('CREW_SCHEDULE_PAIRED fails a stop without a start for the same group', () => {
    expect(hits(evaluate([asg, stop]), 'CREW_SCHEDULE_PAIRED')).toEqual([
      'CREW_SCHEDULE_PAIRED@aws_autoscaling_schedule.stop',
    ]);
    expect(only(evaluate([asg, stop]), 'CREW_SCHEDULE_PAIRED')[0]?.message).toContain(
      'scales aws_autoscaling_group.g to zero',
    );
    expect(hits(evaluate([asg, stop, start]), 'CREW_SCHEDULE_PAIRED')).toEqual([]);
    // A start for another group does not pair.
    expect(
      hits(
        evaluate([asg, stop, sched('start', { recurrence: '0 7 * * 1', autoscaling_group_name: 'other' })]),
        'CREW_SCHEDULE_PAIRED',
      ),
    ).toHaveLength(1);
  });

  it('CREW_SCHEDULE_PAIRED asks nothing of a group the plan itself stops ("stop x": desired 0)', () => {
    const stopped: ChangeSpec = { ...asg, after: { ...asg.after, desired_capacity: 0 } };
    // Its start action brings it to the size it is given, 0: it stays stopped, as asked.
    const startAtZero = sched('start', { recurrence: '0 7 * * MON', desired_capacity: 0 });
    expect(hits(evaluate([stopped, stop, startAtZero]), 'CREW_SCHEDULE_PAIRED')).toEqual([]);
    // A running group whose start brings nothing back is still asked about.
    expect(hits(evaluate([asg, stop, startAtZero]), 'CREW_SCHEDULE_PAIRED')).toHaveLength(2);
  });

  it('CREW_SCHEDULE_START_TIME fails a hard-coded past start_time only', () => {
    const past = sched(
      'start',
      { recurrence: '0 7 * * 1', start_time: '2025-01-06T07:00:00Z' },
      { start_time: lit('2025-01-06T07:00:00Z'), min_size: lit(0), max_size: lit(2), desired_capacity: lit(2) },
    );
    expect(hits(evaluate([asg, stop, past]), 'CREW_SCHEDULE_START_TIME')).toEqual([
      'CREW_SCHEDULE_START_TIME@aws_autoscaling_schedule.start',
    ]);
    const future = sched(
      'start',
      { recurrence: '0 7 * * 1', start_time: '2027-01-04T07:00:00Z' },
      { start_time: lit('2027-01-04T07:00:00Z'), min_size: lit(0), max_size: lit(2), desired_capacity: lit(2) },
    );
    expect(hits(evaluate([asg, stop, future]), 'CREW_SCHEDULE_START_TIME')).toEqual([]);
  });

  it('CREW_SCHEDULE_SIZES fails sizes omitted in the configuration and desired > max', () => {
    const omitted = sched(
      'start',
      { recurrence: '0 7 * * 1' },
      { desired_capacity: lit(2), recurrence: lit('0 7 * * 1') },
    );
    expect(only(evaluate([asg, stop, omitted]), 'CREW_SCHEDULE_SIZES')[0]?.message).toMatch(
      /^min_size, max_size not set: Terraform sends 0/,
    );
    expect(
      only(
        evaluate([asg, stop, sched('start', { recurrence: '0 7 * * 1', max_size: 1, desired_capacity: 2 })]),
        'CREW_SCHEDULE_SIZES',
      )[0]?.message,
    ).toMatch(/^desired_capacity 2 is above max_size 1/);
    expect(hits(evaluate([asg, stop, start]), 'CREW_SCHEDULE_SIZES')).toEqual([]);
  });

  it('links schedules to a group by configuration reference when the name is unknown', () => {
    const g: ChangeSpec = {
      ...asg,
      after: { min_size: 0, max_size: 2, desired_capacity: 2, launch_template: [{ id: 'lt-1', version: '1' }] },
      afterUnknown: { name: true },
    };
    const s = {
      ...stop,
      after: { ...stop.after, autoscaling_group_name: undefined },
      afterUnknown: { autoscaling_group_name: true },
      config: {
        autoscaling_group_name: ref('aws_autoscaling_group.g.name', 'aws_autoscaling_group.g'),
        min_size: lit(0),
        max_size: lit(0),
        desired_capacity: lit(0),
      },
    };
    expect(hits(evaluate([g, s]), 'CREW_SCHEDULE_PAIRED')).toEqual([
      'CREW_SCHEDULE_PAIRED@aws_autoscaling_schedule.stop',
    ]);
  });
});

describe('fixtures', () => {
  it('the good aws-spot-ollama plan passes with no findings', () => {
    // A Wednesday afternoon: outside the plan's weekend off window (applying inside it is CREW_SCHEDULE_RESET).
    const r = evaluatePlan(fixture('aws-spot-ollama-pass.json'), { now: new Date('2026-11-18T15:00:00Z') });
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('PASS');
  });

  it('the insecure plan fails on exactly the expected rules', () => {
    const r = evaluatePlan(fixture('aws-ollama-insecure.json'), { now: NOW });
    expect(hits(r)).toEqual([
      'CKV2_AWS_11@aws_vpc.main',
      'CKV_AWS_130@aws_subnet.private[0]',
      'CKV_AWS_148@aws_default_vpc.default',
      'CKV_AWS_23@aws_security_group.ollama',
      'CKV_AWS_24@aws_security_group.ollama',
      'CKV_AWS_315@aws_autoscaling_group.ollama',
      'CKV_AWS_46@aws_launch_template.ollama',
      'CKV_AWS_46@aws_launch_template.ollama',
      'CKV_AWS_79@aws_launch_template.ollama',
      'CREW_LT_EBS_ENCRYPTED@aws_launch_template.ollama',
      'CREW_OLLAMA_VPC_ONLY@aws_security_group.ollama',
      'CREW_SCHEDULE_PAIRED@aws_autoscaling_schedule.weekend_stop',
      'CREW_SCHEDULE_TZ@aws_autoscaling_schedule.weekend_stop',
    ]);
    expect(r.findings[0]?.severity).toBe('CRITICAL');
    expect(JSON.stringify(r)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(JSON.stringify(r)).not.toContain('s3cr3tvalue');
  });

  it('an update that regresses says what it was', () => {
    const r = evaluatePlan(fixture('aws-ollama-update-regression.json'), { now: NOW });
    expect(only(r, 'CKV_AWS_79')[0]?.message).toBe(
      'metadata_options.http_tokens is "optional": set http_tokens = "required" (IMDSv2 only) (regression: was http_tokens = "required")',
    );
    expect(only(r, 'CREW_OLLAMA_VPC_ONLY')[0]?.message).toMatch(
      /\(regression: was port 11434 open only inside the VPC\)$/,
    );
  });

  it('flags destructive changes to stateful resources and drift the plan would undo', () => {
    const r = evaluatePlan(fixture('aws-ollama-update-regression.json'), { now: NOW });
    expect(hits(r, 'CREW_STATEFUL_DESTROY')).toEqual([
      'CREW_STATEFUL_DESTROY@aws_ebs_volume.models',
      'CREW_STATEFUL_DESTROY@aws_nat_gateway.main',
    ]);
    expect(only(r, 'CREW_STATEFUL_DESTROY')[1]?.message).toContain(
      'replaces (delete then create, forced by subnet_id)',
    );
    expect(only(r, 'CREW_SCHEDULE_DRIFT')[0]?.message).toBe(
      'desired_capacity was changed outside Terraform from 2 to 0 (a scheduled action?) and this plan sets it back to 2: add lifecycle { ignore_changes = [desired_capacity] } to the group',
    );
    expect(r.verdict).toBe('FAIL');
  });

  it('Proxmox: insecure TLS via a variable and a cloud-init password found without reading it', () => {
    const r = evaluatePlan(fixture('proxmox-k3s.json'), { now: NOW });
    expect(hits(r)).toEqual([
      'CREW_PROXMOX_PASSWORD@proxmox_virtual_environment_vm.k3s_server[0]',
      'CREW_PROXMOX_TLS@provider.proxmox',
    ]);
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });
});

describe('Proxmox and stateful passes', () => {
  const provider = (insecure: unknown) => ({
    proxmox: { name: 'proxmox', expressions: { pm_tls_insecure: { constant_value: insecure } } },
  });
  it('passes TLS verification on and fails pm_tls_insecure literal true', () => {
    const vm: ChangeSpec = {
      address: 'proxmox_vm_qemu.k3s',
      after: { name: 'k3s', cipassword: null },
      afterSensitive: { cipassword: true },
    };
    expect(hits(evaluate([vm], {}, { providers: provider(false) }))).toEqual([]);
    expect(hits(evaluate([vm], {}, { providers: provider(true) }))).toEqual(['CREW_PROXMOX_TLS@provider.proxmox']);
    expect(
      hits(evaluate([{ ...vm, after: { name: 'k3s', cipassword: 'x' } }], {}, { providers: provider(false) })),
    ).toEqual(['CREW_PROXMOX_PASSWORD@proxmox_vm_qemu.k3s']);
  });

  it('deleting an ordinary record or a security group is not stateful; an NS record is', () => {
    const del = (address: string, before: Record<string, unknown>): ChangeSpec => ({
      address,
      actions: ['delete'],
      before,
      after: null,
    });
    const r = evaluate([
      del('aws_route53_record.www', { type: 'A', name: 'www' }),
      del('aws_security_group.old', { description: 'x' }),
      del('aws_route53_record.ns', { type: 'NS', name: 'lab.example.com' }),
      del('aws_route53_zone.lab', { name: 'lab.example.com' }),
    ]);
    expect(hits(r, 'CREW_STATEFUL_DESTROY')).toEqual([
      'CREW_STATEFUL_DESTROY@aws_route53_record.ns',
      'CREW_STATEFUL_DESTROY@aws_route53_zone.lab',
    ]);
  });
});
