import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkPlanSpec, type PlanSpec } from '../../../../contracts/index.js';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { repoPath } from '../../../support/paths.js';
import { makeCtx } from './atlas-fixtures.js';

/** One request of a corpus written independently of the parser (see the README.md beside each corpus in test/goals). */
interface HeldoutEntry {
  id: string;
  family: string;
  goal: string;
  expect: {
    outcome: 'plan' | 'blocked';
    blueprint?: string;
    region?: string;
    budgetUsd?: number;
    params?: Record<string, unknown>;
    schedule?: 'present' | 'absent' | { stop?: At; start?: At; timezone?: string };
    name?: string;
    stack?: string;
  };
}
interface At {
  day: string;
  time: string;
}

const readCorpus = (dir: string, file: string): HeldoutEntry[] =>
  JSON.parse(readFileSync(repoPath('test', 'goals', dir, file), 'utf8')) as HeldoutEntry[];

const DAYS: Record<string, string> = {
  MON: 'monday',
  TUE: 'tuesday',
  WED: 'wednesday',
  THU: 'thursday',
  FRI: 'friday',
  SAT: 'saturday',
  SUN: 'sunday',
};
const normAt = (at: unknown): unknown =>
  at && typeof at === 'object'
    ? { ...at, day: DAYS[String((at as At).day)] ?? String((at as At).day).toLowerCase() }
    : at;

function scheduleMisses(got: unknown, want: NonNullable<HeldoutEntry['expect']['schedule']>): string[] {
  if (want === 'present') return got ? [] : ['schedule absent (want present)'];
  if (want === 'absent') return got ? [`schedule ${JSON.stringify(got)} (want absent)`] : [];
  if (!got) return [`schedule absent (want ${JSON.stringify(want)})`];
  const g = got as Record<string, unknown>;
  const bad: string[] = [];
  for (const key of ['stop', 'start'] as const) {
    const w = want[key];
    // A wanted day may be written as MON, monday or mon: all name the same day.
    if (w && !isDeepStrictEqual(normAt(g[key]), normAt({ day: w.day.slice(0, 3).toUpperCase(), time: w.time })))
      bad.push(`schedule.${key} = ${JSON.stringify(g[key])} (want ${JSON.stringify(w)})`);
  }
  if (want.timezone !== undefined && g.timezone !== want.timezone)
    bad.push(`schedule.timezone = ${JSON.stringify(g.timezone)} (want ${want.timezone})`);
  return bad;
}

/** What the deterministic parser got wrong about one request; only the listed expectations count. */
function heldoutMisses(entry: HeldoutEntry): string[] {
  const out = parseGoal(entry.goal, makeCtx(false));
  const want = entry.expect;
  const planned = out.kind === 'spec';
  if (want.outcome === 'blocked')
    return planned ? [`planned (want blocked): ${JSON.stringify(out.spec.params).slice(0, 200)}`] : [];
  if (!planned) return [`${out.kind} (want plan): ${JSON.stringify(out).slice(0, 300)}`];
  const spec: PlanSpec = out.spec;
  const params = spec.params as Record<string, unknown>;
  const bad: string[] = [];
  if (!checkPlanSpec(spec).ok) bad.push('spec fails checkPlanSpec');
  if (want.blueprint !== undefined && spec.blueprint !== want.blueprint)
    bad.push(`blueprint ${spec.blueprint} (want ${want.blueprint})`);
  if (want.region !== undefined && spec.region !== want.region)
    bad.push(`region ${String(spec.region)} (want ${want.region})`);
  if (want.budgetUsd !== undefined && spec.budget.monthlyUsd !== want.budgetUsd)
    bad.push(`budget ${String(spec.budget.monthlyUsd)} (want ${want.budgetUsd})`);
  for (const [key, value] of Object.entries(want.params ?? {}))
    if (!isDeepStrictEqual(params[key], value))
      bad.push(`params.${key} = ${JSON.stringify(params[key])} (want ${JSON.stringify(value)})`);
  if (want.schedule !== undefined) bad.push(...scheduleMisses(params.schedule, want.schedule));
  if (want.stack !== undefined && spec.stack !== want.stack) bad.push(`stack ${spec.stack} (want ${want.stack})`);
  if (want.name !== undefined && !String(params.name).toLowerCase().includes(want.name.toLowerCase()))
    bad.push(`name ${JSON.stringify(params.name)} (want it to contain ${want.name})`);
  return bad;
}

const THRESHOLD = 0.95;

interface Tally {
  right: number;
  total: number;
}
const tally = (map: Map<string, Tally>, key: string, right: boolean): void => {
  const t = map.get(key) ?? { right: 0, total: 0 };
  t.total += 1;
  if (right) t.right += 1;
  map.set(key, t);
};
const printTallies = (label: string, what: string, map: Map<string, Tally>): void => {
  for (const [key, t] of [...map].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`${label} ${what} ${key}: ${t.right}/${t.total}`);
};

/** Runs a corpus through the parser, prints every miss and the figures per family and blueprint. */
function measure(label: string, corpus: HeldoutEntry[]): number {
  const byFamily = new Map<string, Tally>();
  const byBlueprint = new Map<string, Tally>();
  let right = 0;
  for (const entry of corpus) {
    const bad = heldoutMisses(entry);
    if (bad.length > 0)
      console.log(`MISS ${label} ${entry.id} [${entry.family}] ${JSON.stringify(entry.goal)}\n  ${bad.join('\n  ')}`);
    else right += 1;
    tally(byFamily, entry.family, bad.length === 0);
    tally(
      byBlueprint,
      entry.expect.outcome === 'blocked' ? 'blocked' : String(entry.expect.blueprint),
      bad.length === 0,
    );
  }
  printTallies(label, 'family', byFamily);
  printTallies(label, 'blueprint', byBlueprint);
  console.log(`${label} total: ${right}/${corpus.length} = ${((right / corpus.length) * 100).toFixed(1)} %`);
  return right / corpus.length;
}

const corpora = [
  {
    label: 'heldout',
    file: readCorpus('heldout', 'atlas-heldout.json'),
    size: 79,
    floor: THRESHOLD,
    // First measured before any parser change: 72/79 = 91.1 % (failures listed in the README section
    // on Atlas); 79/79 after general fixes to the readers. Tuned on since.
  },
  {
    label: 'heldout-2',
    file: readCorpus('heldout-2', 'atlas-heldout-2.json'),
    size: 84,
    floor: THRESHOLD,
    // First measured before any parser change: 77/84 = 91.7 % (aws 21/22, asg 12/16, k3s 15/16,
    // dns 15/16, refusals 14/14). Misses: "a stack called llm-sandbox: …" (the colon kept in the
    // name), three bare hours after "at" ("Monday at 9", "at 8", "at 7 in the morning") asked
    // about as counts, "we don't need the weekend schedule on asg qa-env anymore, please remove it"
    // (no removal), "2 cpu workers plus 2 gpu workers" (workers 2, want 4), and
    // "set a TXT on selector1._domainkey.example.org to 'k=rsa; …'" (an invalid zone); once its hour
    // was read, "… Monday at 7 in the morning? We're in New York." also lacked its time zone. 84/84 after
    // general fixes (a bare hour beside a day, "don't need … schedule", "plus" between counted roles,
    // underscore labels in the record name, punctuation after a stack name, "we're in <city>").
  },
  {
    label: 'heldout-3',
    file: readCorpus('heldout-3', 'atlas-heldout-3.json'),
    size: 81,
    // First measured before any parser change: 63/81 = 77.8 % (aws 16/20, asg 14/16, k3s 8/16,
    // dns 13/16, refusals 12/13; misses by cause in the README section on Atlas). After general
    // fixes for its six silent misreadings (a region code read whole before counts, day names only
    // as whole words, "to zero" as a stop, "weekdays only" as a weekend stop, "node <name>" over
    // "three-node", services outside the catalog refused even with an instance type): 69/81 = 85.2 %
    // (aws 18/20, asg 15/16, k3s 9/16, dns 14/16, refusals 13/13). Then general fixes for the twelve
    // requests it asked about or refused (memory units and a size beside a core count, "cp" and "3x"
    // role nouns, spoken clock times, unquoted TXT values after "value:", prose words after "record",
    // "ollama asg <region>", "the default one", "k8s-ish", "node called <name>"): 81/81 = 100 %.
    // Tuned on since, so no longer a held-out measure; the floor is that figure.
    floor: 1,
  },
  {
    label: 'heldout-4',
    file: readCorpus('heldout-4', 'atlas-heldout-4.json'),
    size: 81,
    // First measured before any parser change: 51/81 = 63.0 % (aws 10/20, asg 11/16, k3s 7/16,
    // dns 15/16, refusals 8/13). 15 misses are plans that differ from the words (fourteen wrong,
    // one the same zone under another name) and 15 are questions or refusals where a plan was
    // due; each is listed in test/goals/heldout-4/README.md. 53/81 = 65.4 % after the third
    // corpus's fixes. After general fixes for its silent misreadings (yearly budgets, "x2" after an
    // instance type, "stack name: x", the name before "ASG", a sentence's full stop, GPU shares,
    // negated "schedule", IANA names as written) and questions where a plan could hold only part
    // of the request (daily beside weekly stops, SSH ranges, two records, a goal with no value),
    // then for what it asked about (key=value tickets, counts after nouns, 4-digit and dotted
    // times, "a quarter to", placement keys, "rec", GPU cards, one-slip noun typos): 81/81 = 100 %.
    // Tuned on since, so no longer a held-out measure; the floor is that figure.
    floor: 1,
  },
  {
    label: 'heldout-5',
    file: readCorpus('heldout-5', 'atlas-heldout-5.json'),
    size: 81,
    // Measured once, on the code after the corpus-3 and corpus-4 fixes, before any change for it:
    // 65/81 = 80.2 % (aws 16/20, asg 14/16, k3s 10/16, dns 13/16, refusals 12/13); the misses
    // are listed in test/goals/heldout-5/README.md. After general fixes for them (accented city
    // names, GPUs on "each"/"all N"/"N of them", a node named before "node", two blueprints in one
    // request asked about, unitless memory from 512 as MiB, ticket ids, a region code before number
    // words, "quick one:", labelled and shaped TXT values at a domain's apex, removal by name alone):
    // 80/81 = 98.8 % (the one left: "scale ollama-dev", a stack the harness does not have). Tuned
    // on since, so no longer a held-out measure; the floor is that figure.
    floor: 80 / 81,
  },
  {
    label: 'heldout-6',
    file: readCorpus('heldout-6', 'atlas-heldout-6.json'),
    size: 81,
    // Measured once, on the code after the corpus-5 fixes, before any change for it: 73/81 = 90.1 %
    // (aws 19/20, asg 15/16, k3s 10/16, dns 16/16, refusals 13/13); the misses are listed in
    // test/goals/heldout-6/README.md. After general fixes for them (negated schedule verbs and the
    // weekend as the time of use, "grand" budgets, a part of the day after the day name, templates
    // named before "template", per-VM ticket keys, "contol plane", "4c/16g", hyphenated counts, a
    // GPU "getting" worker, a Proxmox host "on pve-…" as the node): 81/81 = 100 %. Tuned on since,
    // so no longer a held-out measure; the floor is that figure.
    floor: 1,
  },
  {
    label: 'heldout-7',
    file: readCorpus('heldout-7', 'atlas-heldout-7.json'),
    size: 81,
    // Measured once, on the code after the corpus-6 fixes, before any change for it: 73/81 = 90.1 %
    // (aws 18/20, asg 14/16, k3s 14/16, dns 15/16, refusals 12/13); 74/81 after one general fix
    // ("stack name X"). Misses in test/goals/heldout-7/README.md. After general fixes for the rest
    // (role verbs in any form and an infinitive's "to", "at night" after a spoken hour, "both
    // workers with a GPU", "Min/Max: 1/3", "call it X" and a ticket's cluster name, an article after
    // an amount, a wildcard's parent label): 81/81. Tuned on since; the floor is that figure.
    floor: 1,
  },
  {
    label: 'heldout-8',
    file: readCorpus('heldout-8', 'atlas-heldout-8.json'),
    size: 81,
    // Measured once, on the code after the corpus-7 fixes, before any change for it: 64/81 = 79.0 %
    // (aws 18/20, asg 8/16, k3s 13/16, dns 13/16, refusals 12/13); the misses, eight of them silent
    // wrong plans, are listed in test/goals/heldout-8/README.md. After general fixes for them: 81/81.
    // Tuned on since, so no longer a held-out measure; the floor is that figure.
    floor: 1,
  },
  {
    label: 'heldout-9',
    file: readCorpus('heldout-9', 'atlas-heldout-9.json'),
    size: 81,
    // Measured once, on the code after the corpus-8 fixes, before any change for it: 53/81 = 65.4 %
    // (aws 14/20, asg 9/16, k3s 6/16, dns 11/16, refusals 13/13) — terse SREs, non-native phrasing,
    // Markdown tables, YAML and `|` tickets; the misses are in test/goals/heldout-9/README.md.
    // After general fixes (see there): 81/81. Tuned on since; the floor is that figure.
    floor: 1,
  },
  {
    label: 'heldout-10',
    file: readCorpus('heldout-10', 'atlas-heldout-10.json'),
    size: 81,
    // Measured once, on the same code as corpus 9: 57/81 = 70.4 % (aws 14/20, asg 13/16, k3s 7/16,
    // dns 11/16, refusals 12/13) — long context, self-corrections, constraints in a second sentence.
    // After general fixes: 80/81 (left: a correction after "wait," with the new value at the end of
    // a clause of its own; asked about, not misread). Tuned on since; the floor is that figure.
    floor: 80 / 81,
  },
  {
    label: 'heldout-11',
    file: readCorpus('heldout-11', 'atlas-heldout-11.json'),
    size: 81,
    // Measured once, on the code after the corpus-9 and corpus-10 fixes, before any change for it:
    // 76/81 = 93.8 % (aws 20/20, asg 14/16, k3s 15/16, dns 14/16, refusals 13/13); written as the
    // ordinary mix of a team's channel, no style emphasis. Misses in test/goals/heldout-11/README.md.
    // After general fixes for them: 81/81. Tuned on since; the floor is that figure.
    floor: 1,
  },
  {
    label: 'heldout-12',
    file: readCorpus('heldout-12', 'atlas-heldout-12.json'),
    size: 81,
    // Measured once, on the code after the corpus-11 fixes, before any change for it: 78/81 =
    // 96.3 % (aws 20/20, asg 16/16, k3s 14/16, dns 15/16, refusals 13/13); the ordinary mix of a
    // team's channel. (Its days are written "fri"/"mon": the harness reads those as the same days.)
    // Misses in test/goals/heldout-12/README.md; after general fixes for them: 81/81. Tuned on since.
    floor: 1,
  },
];

for (const { label, file, size, floor } of corpora)
  describe(`held-out corpus ${label} written independently of the parser`, () => {
    it('has the ~80 requests it was written with', () => {
      expect(file.length).toBe(size);
      expect(new Set(file.map((e) => e.id)).size).toBe(file.length);
    });

    it(`gets at least ${Math.round(floor * 100)} % right, reported per family`, () => {
      expect(measure(label, file)).toBeGreaterThanOrEqual(floor);
    });
  });
