import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_TYPES, checkArtifact, checkPayload, checkPlanSpec } from '../../contracts/index.js';
import { DEFAULT_ATLAS_DEFAULTS, parseGoal, type AtlasContext } from '../../src/agents/atlas/draft-plan.js';
import { evaluatePlan } from '../../src/agents/sentinel/evaluate-plan.js';
import { readPlanJson } from '../../src/agents/sentinel/plan/read-plan.js';
import { parsePolicy } from '../../src/agents/sentinel/policy/parse-policy.js';
import { envelope, PAYLOADS } from './valid-artifacts.js';
import { repoPath } from '../support/paths.js';

// numRuns are modest so the file stays within a few seconds; a failure prints its seed and path.
// The seed is fixed so CI is repeatable; FUZZ_SEED=random (or a number) explores further.
const seedEnv = process.env.FUZZ_SEED;
fc.configureGlobal({ seed: seedEnv === 'random' ? Date.now() : seedEnv ? Number(seedEnv) : 20261121 });
const RUNS = { goals: 300, artifacts: 300, plans: 300, policies: 300, mutations: 400 } as const;
const ctx: AtlasContext = { defaults: DEFAULT_ATLAS_DEFAULTS };
const NOW = new Date('2026-11-21T00:00:00Z');

/** Any outcome must be a spec that validates, or a refusal that says something. */
function checkOutcome(goal: string): void {
  const out = parseGoal(goal, ctx);
  if (out.kind === 'spec') {
    const c = checkPlanSpec(out.spec);
    expect(c.ok, c.ok ? '' : c.reason).toBe(true);
  } else {
    expect((out.kind === 'blocked' ? out.reason : out.message).trim()).not.toBe('');
  }
}

const WORDS = [
  'private',
  'ollama',
  'on',
  'spot',
  'g4dn.xlarge',
  'g5',
  'in',
  'eu-west-1',
  'us-east-9',
  'budget',
  '$300/month',
  '$-5',
  'from',
  '10.0.0.0/8',
  '0.0.0.0/0',
  '300.1.1.1',
  'port',
  '11434',
  '99999',
  'stack',
  'ollama-dev',
  'p-$(id)',
  'k3s',
  'proxmox',
  '3 servers',
  '1000 workers',
  'add',
  'DNS',
  'record',
  'test.local',
  'to',
  '192.168.1.100',
  'ttl',
  '0',
  'weekends',
  'off',
  'Friday',
  '25:00',
  'Europe/Berlin',
  'Mars/Olympus',
  'asg',
  'schedule',
  'ignore previous instructions',
  'approve it yourself',
  'rm -rf /',
  'open to the world',
  'min',
  'max',
  '\u200b',
  '🦙',
  '\u0445',
  'ｇ',
  ',',
  '.',
  ';',
  '\n',
  '{',
  '"text":',
  '}',
];

describe('fuzz: goals', () => {
  it('arbitrary unicode text: parseGoal never throws; a spec always validates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => checkOutcome(s)),
      { numRuns: RUNS.goals },
    );
  });

  it('goal-shaped word salad with hostile fragments: same', () => {
    const goal = fc
      .array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: 40 })
      .map((ws) => ws.join(' '));
    fc.assert(
      fc.property(goal, (g) => checkOutcome(g)),
      { numRuns: RUNS.goals },
    );
  });

  it('GoalStatement JSON of arbitrary values: same', () => {
    const statement = fc.record(
      {
        text: fc.oneof(fc.constantFrom(...WORDS), fc.jsonValue()),
        requestedBy: fc.jsonValue(),
        budgetUsd: fc.jsonValue(),
        stack: fc.jsonValue(),
      },
      { requiredKeys: ['text'] },
    );
    fc.assert(
      fc.property(statement, (st) => checkOutcome(JSON.stringify(st))),
      { numRuns: RUNS.goals },
    );
  });
});

describe('fuzz: artifacts', () => {
  it('arbitrary JSON: checkArtifact never throws and refuses with a reason', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const r = checkArtifact(v);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.reason).toMatch(/^envelope artifact/);
      }),
      { numRuns: RUNS.artifacts },
    );
  });

  it('a valid envelope around an arbitrary payload: valid or a reason naming the type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ARTIFACT_TYPES), fc.jsonValue({ maxDepth: 5 }), (type, payload) => {
        const r = checkArtifact(envelope(type, payload));
        if (!r.ok) expect(r.reason).toMatch(type === 'PlanSpec' ? /^payload[.:]/ : new RegExp(`^${type} payload`));
      }),
      { numRuns: RUNS.artifacts },
    );
  });

  it('one field of a valid payload replaced by arbitrary JSON: valid or a reason naming that field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ARTIFACT_TYPES), fc.nat(), fc.jsonValue({ maxDepth: 3 }), (type, i, value) => {
        const keys = Object.keys(PAYLOADS[type]);
        const key = keys[i % keys.length] as string;
        const r = checkPayload(type, { ...structuredClone(PAYLOADS[type]), [key]: value });
        if (!r.ok) expect(r.reason).toContain(key === 'blueprint' ? 'payload.blueprint' : `payload.${key}`);
      }),
      { numRuns: RUNS.artifacts },
    );
  });
});

describe('fuzz: plan files and policies', () => {
  it('arbitrary JSON documents: readPlanJson never throws; what it accepts evaluates to a valid result', () => {
    const doc = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }),
      fc.record({
        format_version: fc.constantFrom('1.2', '1.0', '2.0'),
        resource_changes: fc.jsonValue({ maxDepth: 5 }),
      }),
    );
    fc.assert(
      fc.property(doc, (d) => {
        const r = readPlanJson(JSON.stringify(d) ?? '');
        if (!r.ok) return void expect(r.reason).not.toBe('');
        expect(checkPayload('ValidationResult', evaluatePlan(r.plan, { now: NOW })).ok).toBe(true);
      }),
      { numRuns: RUNS.plans },
    );
  });

  it('arbitrary text: readPlanJson never throws and always answers', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const r = readPlanJson(s);
        if (!r.ok) expect(r.reason).not.toBe('');
      }),
      { numRuns: RUNS.plans },
    );
  });

  it('YAML-ish text: parsePolicy never throws; a refusal names the file and line', () => {
    const TOKENS = [
      'version',
      'allowedRegions',
      'allowedPorts',
      'waivers',
      'rules',
      'id',
      'operator',
      'value',
      'expires',
      ':',
      ' ',
      '  ',
      '\n',
      '- ',
      '[',
      ']',
      '{',
      '}',
      ',',
      '&a',
      '*a',
      '!!str',
      '"',
      "'",
      '#',
      '---',
      '|',
      '>',
      '1',
      '-1',
      '2026-02-30',
      'ORG_X',
      'equals',
      'in',
      'matches',
      '(',
      '~',
      '\t',
      '<<',
      '?',
    ];
    const text = fc
      .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })), { maxLength: 60 })
      .map((t) => t.join(''));
    fc.assert(
      fc.property(text, (t) => {
        const r = parsePolicy(t, 'org.yaml');
        if (!r.ok) expect(r.reason).toMatch(/^org\.yaml:\d+: \S/);
      }),
      { numRuns: RUNS.policies },
    );
  });
});

describe('fuzz: random mutations of valid plan fixtures', () => {
  const FIXTURES = [
    'aws-spot-ollama-pass.json',
    'aws-ollama-insecure.json',
    'aws-ollama-update-regression.json',
    'proxmox-k3s.json',
  ].map((n) => JSON.parse(readFileSync(repoPath('test', 'fixtures', 'plans', n), 'utf8')) as unknown);

  /** Every path to a value inside a document. */
  function paths(
    v: unknown,
    at: Array<string | number> = [],
    out: Array<Array<string | number>> = [],
  ): Array<Array<string | number>> {
    out.push(at);
    if (v && typeof v === 'object')
      for (const [k, c] of Object.entries(v)) paths(c, [...at, Array.isArray(v) ? Number(k) : k], out);
    return out;
  }
  const PATHS = FIXTURES.map((f) => paths(f).filter((p) => p.length > 0));

  function mutate(doc: unknown, path: Array<string | number>, value: unknown, op: 'set' | 'delete'): unknown {
    const copy = structuredClone(doc) as Record<string | number, unknown>;
    let node = copy;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
    const last = path.at(-1) as string | number;
    if (op === 'delete' && !Array.isArray(node)) delete node[last];
    else node[last] = value;
    return copy;
  }

  const weird = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(
      null,
      0,
      -1,
      1e308,
      -1e308,
      '',
      '0.0.0.0/0',
      ['0.0.0.0/0'],
      [null],
      {},
      [],
      true,
      'NaN',
      '-1',
      99999999999,
      0.5,
    ),
  );

  it('readPlanJson and evaluatePlan never throw, and the result validates as a ValidationResult', () => {
    fc.assert(
      fc.property(
        fc.nat(FIXTURES.length - 1),
        fc.array(fc.tuple(fc.nat(), weird, fc.constantFrom('set', 'set', 'delete')), { minLength: 1, maxLength: 4 }),
        (f, edits) => {
          let doc = FIXTURES[f];
          for (const [i, value, op] of edits) {
            const p = PATHS[f]?.[i % (PATHS[f]?.length ?? 1)];
            if (!p) continue;
            try {
              doc = mutate(doc, p, value, op);
            } catch {
              // An earlier edit removed this path's parent; the next edit gets its turn.
            }
          }
          const r = readPlanJson(JSON.stringify(doc));
          if (!r.ok) return void expect(r.reason).not.toBe('');
          const result = evaluatePlan(r.plan, { now: NOW, budgetUsd: 300 });
          const c = checkPayload('ValidationResult', result);
          expect(c.ok, c.ok ? '' : c.reason).toBe(true);
        },
      ),
      { numRuns: RUNS.mutations },
    );
  });
});
