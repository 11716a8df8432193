import { describe, expect, it } from 'vitest';
import { checkPlanSpec } from '../../../../contracts/index.js';
import { parseGoal, type AtlasOutcome } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx } from './atlas-fixtures.js';

const ctx = makeCtx(false);
const message = (o: AtlasOutcome) => (o.kind === 'invalid' ? o.message : `not invalid: ${o.kind}`);

describe('parseGoal rejects bad values with a reason', () => {
  it.each([
    ['Add DNS record test.local to 999.1.1.1', /999\.1\.1\.1 is not a valid IPv4 address/],
    ['ollama off from Friday 25:00 to Monday 07:00', /25:00 is not a valid time of day/],
    ['k3s cluster on proxmox with 0 servers and 2 workers', /at least one server/],
    ['k3s on proxmox with zero servers', /at least one server/],
    ['ollama on spot with min 4 max 1', /minSize 4 is greater than maxSize 1/],
    ['ollama on spot, 5 instances, max 2', /desiredCapacity 5 is greater than maxSize 2/],
    ['ollama from 10.0.0.0/40', /10\.0\.0\.0\/40 is not a valid IPv4 CIDR/],
    ['ollama from 300.0.0.0/8', /300\.0\.0\.0\/8 is not a valid IPv4 CIDR/],
    ['ollama on port 0', /port 0 is out of range/],
    ['ollama weekends off in Mars/Olympus', /Mars\/Olympus is not a known IANA time zone/],
    ['ollama in eu-west-7', /eu-west-7 is not a known AWS region/],
    ['ollama stop Friday 13pm', /13pm is not a valid time of day/],
    ['Add DNS record test.local to 192.168.1.100 ttl 0', /ttl 0 is out of range/],
    ['add an A record x.local pointing to 2001:db8::5', /an A record needs an IPv4 address/],
    ['ollama, stack My_Stack', /stack name "My_Stack" is not valid/],
    ['ollama with 20 GB disk and min 3 max 2', /minSize 3 is greater than maxSize 2/],
    ['ollama with a 4 GB disk', /volume 4 GB is out of range/],
  ])('%s', (goal, reason) => {
    expect(message(parseGoal(goal, ctx))).toMatch(reason);
  });

  it('rejects empty, oversized and control-character goals', () => {
    expect(message(parseGoal('', ctx))).toMatch(/empty/);
    expect(message(parseGoal(' \n\t ', ctx))).toMatch(/empty/);
    expect(message(parseGoal('ollama '.repeat((20 * 1024) / 7), ctx))).toMatch(
      /too long \(\d+ characters; the limit is 4000\)/,
    );
    expect(message(parseGoal('x'.repeat(20 * 1024), ctx))).toMatch(/too long/);
    expect(message(parseGoal('ollama on spot\u0000', ctx))).toMatch(/control characters/);
    expect(message(parseGoal('ollama \u202Eon spot', ctx))).toMatch(/control characters/);
  });

  it('accepts a GoalStatement JSON and rejects one that fails its schema', () => {
    const ok = parseGoal(
      JSON.stringify({ text: 'ollama on g5.xlarge', requestedBy: 'alice', budgetUsd: 90, stack: 'ollama-a' }),
      ctx,
    );
    expect(ok.kind === 'spec' && [ok.spec.stack, ok.spec.budget.monthlyUsd]).toEqual(['ollama-a', 90]);
    expect(message(parseGoal(JSON.stringify({ text: 'ollama', requestedBy: '' }), ctx))).toMatch(
      /GoalStatement goal\.requestedBy/,
    );
    expect(message(parseGoal(JSON.stringify({ text: 'ollama', requestedBy: 'a', stack: 'Bad Name' }), ctx))).toMatch(
      /goal\.stack/,
    );
    expect(message(parseGoal('{"text": ', ctx))).toMatch(/not valid JSON/);
    expect(message(parseGoal(JSON.stringify({ text: 'x'.repeat(4001), requestedBy: 'a' }), ctx))).toMatch(
      /too long|maxLength|must NOT have more/,
    );
  });

  it('rejects a bad --stack or budget from the caller', () => {
    expect(message(parseGoal('ollama on spot', makeCtx(false, { stack: 'Nope!' })))).toMatch(/stack name "Nope!"/);
    expect(message(parseGoal('ollama on spot', makeCtx(false, { budgetUsd: -5 })))).toMatch(/budget -5/);
  });
});

describe('parseGoal blocks what it cannot map, with a helpful reason', () => {
  it('lists the catalog for text that matches no blueprint', () => {
    const out = parseGoal('please make me a sandwich', ctx);
    expect(out.kind).toBe('blocked');
    if (out.kind !== 'blocked') return;
    expect(out.reason).toMatch(/does not match any blueprint/);
    const all = out.rationale.join('\n');
    for (const b of ['aws-spot-ollama', 'asg-schedule', 'proxmox-k3s', 'dns-record', 'scale ollama-dev to 3'])
      expect(all).toContain(b);
  });

  it('blocks a change to an unknown stack, naming it', () => {
    const out = parseGoal('scale ollama-dev to 3', ctx);
    expect(out.kind === 'blocked' && out.reason).toMatch(/Stack ollama-dev is unknown/);
  });

  it('drafts a DNS removal that names neither type nor value as the removal of the A records, and says so', () => {
    const out = parseGoal('remove test.local', ctx);
    if (out.kind !== 'spec') throw new Error(JSON.stringify(out));
    expect(out.spec.params).toEqual({ zone: 'local', name: 'test', type: 'A', ttl: 300, action: 'remove' });
    expect(out.spec.rationale.join('\n')).toContain(
      'No record type given: removes the A records of test.local. For another type, say e.g. "remove the CNAME test.local".',
    );
  });

  it('drafts a DNS removal by name and type with no value (the plan step looks it up)', () => {
    const out = parseGoal('Delete the CNAME www.lab.internal', ctx);
    if (out.kind !== 'spec') throw new Error(JSON.stringify(out));
    expect(out.spec.params).toEqual({ zone: 'lab.internal', name: 'www', type: 'CNAME', ttl: 300, action: 'remove' });
    expect(out.spec.risk.destructive).toBe(true);
  });

  it('refuses an added DNS record without a value at the contract', () => {
    const out = parseGoal('Delete the CNAME www.lab.internal', ctx);
    if (out.kind !== 'spec') throw new Error(JSON.stringify(out));
    const add = { ...out.spec, params: { ...out.spec.params, action: 'add' } };
    expect(checkPlanSpec(add)).toEqual({ ok: false, reason: 'PlanSpec.params.value: an added record needs a value' });
  });

  it('asks to send two blueprints separately rather than plan one of them', () => {
    const out = parseGoal('k3s on proxmox, 2 servers and 2 workers; plus a dns record web.lab.local -> 10.0.0.7', ctx);
    expect(out.kind === 'blocked' && out.reason).toBe(
      'One request plans one blueprint, and this one asks for two: a DNS record (dns-record) and a k3s cluster on Proxmox (proxmox-k3s). Send them separately, one request each.',
    );
  });

  it('asks when "all N with GPUs" does not match the workers counted', () => {
    const out = parseGoal('k3s on proxmox, 5 workers (all 3 with GPUs)', ctx);
    expect(out.kind === 'blocked' && out.reason).toMatch(/does not match the 5 workers: how many workers get a GPU/);
  });

  it('keeps a ticket id as a reference, saying so', () => {
    const out = parseGoal('OPS-77 k3s on proxmox, 3 servers, 2 workers', ctx);
    if (out.kind !== 'spec') throw new Error(JSON.stringify(out));
    expect(out.spec.params).toMatchObject({ servers: 3, workers: 2 });
    expect(out.spec.rationale).toContain('Ticket OPS-77: kept as a reference, not read as a value.');
  });

  it('blocks a blueprint that does not fit the named stack', () => {
    const out = parseGoal('add DNS record x.local to 10.0.0.1, stack ollama-dev', makeCtx(true));
    expect(out.kind === 'blocked' && out.reason).toMatch(/holds an aws-spot-ollama plan/);
  });
});

describe('every spec outcome passes checkPlanSpec', () => {
  it.each([
    'private Ollama on spot g4dn.xlarge in eu-west-1, off on weekends, budget $300/month',
    'Add DNS record test.local to 192.168.1.100',
    'k3s cluster on proxmox with 3 servers and 2 workers, one with a GPU',
    'weekend schedule for asg ollama-dev-asg in Europe/Berlin',
  ])('%s', (goal) => {
    const out = parseGoal(goal, ctx);
    expect(out.kind).toBe('spec');
    if (out.kind !== 'spec') return;
    expect(checkPlanSpec(out.spec)).toEqual({ ok: true, value: out.spec });
    expect(out.spec.parsedBy).toBe('rules');
    expect(out.spec.tokens).toBeUndefined();
    expect(out.spec.diagram.startsWith('graph TD')).toBe(true);
    expect(out.spec.rationale.length).toBeGreaterThan(2);
  });
});
