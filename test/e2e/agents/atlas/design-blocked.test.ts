import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamKey } from '../../../../src/redis/keys.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';

let t: CrewEnv;
let policy: string;
beforeAll(async () => {
  t = await makeCrewEnv({ CREW_APPROVERS: 'bob,carol' });
  policy = join(t.dataDir, 'policy.yaml');
  writeFileSync(policy, 'allowedRegions:\n  - us-east-1\n  - eu-west-1\n');
});
afterAll(async () => t.close());

type Blocked = { state: string; reason: string; rationale: string[] };

describe('DesignBlocked and escalation', () => {
  it('blocks a goal that clashes with org policy before Forge, and escalates after two attempts', async () => {
    const ask = () =>
      t.crew(
        ['plan', 'private Ollama on spot g4dn.xlarge in eu-central-1, stack policy-clash', '--as', 'dave', '--json'],
        { CREW_POLICY_FILE: policy },
      );
    const first = await ask();
    expect(first.code, first.stderr).toBe(2);
    const b1 = jsonOf<Blocked>(first);
    expect(b1.state).toBe('BLOCKED');
    expect(b1.reason).toContain('eu-central-1');
    expect(b1.rationale.join('\n')).not.toContain('escalated');

    const second = jsonOf<Blocked>(await ask());
    expect(second.state).toBe('BLOCKED');
    expect(second.rationale.at(-1)).toBe(
      'escalated: 2 attempts in a row were blocked; approvers bob, carol were asked to help shape this change',
    );

    const events = await t.redis.client().xrange(streamKey('crew', 'ops.event'), '-', '+');
    const escalations = events
      .map(([, f]) => JSON.parse(f[f.indexOf('artifact') + 1]!))
      .filter((a) => a.payload.kind === 'escalation');
    expect(escalations).toHaveLength(1);
    expect(escalations[0].payload.detail).toContain("dave's goal was blocked 2 times in a row");
    expect(escalations[0].payload.detail).toContain('approvers: bob, carol');
  });

  it('a goal no blueprint covers is blocked with what the crew can do', async () => {
    const r = await t.crew(['plan', 'make me a sandwich', '--as', 'erin', '--json']);
    expect(r.code).toBe(2);
    const b = jsonOf<Blocked>(r);
    expect(b.state).toBe('BLOCKED');
    expect(b.reason.length).toBeGreaterThan(20);
  });
});
