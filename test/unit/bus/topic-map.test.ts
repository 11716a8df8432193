import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { registerAtlas } from '../../../src/agents/atlas-agent.js';
import { registerForge } from '../../../src/agents/forge/forge-agent.js';
import { registerSentinel } from '../../../src/agents/sentinel-agent.js';
import { makeArtifact, type ArtifactBus } from '../../../src/bus/artifact-bus.js';
import { TOPIC_MAP, type ArtifactOn } from '../../../src/bus/topic-map.js';
import { TOPICS, type Topic } from '../../../src/bus/topics.js';
import { Conductor } from '../../../src/conductor/conductor.js';
import { followPlans, SLACK_GROUP } from '../../../src/slack/follow-plans.js';
import { REPO_ROOT } from '../../support/paths.js';

const ROOT = REPO_ROOT;

/** A bus that records who subscribes to what and never delivers anything. */
function recordingBus(): ArtifactBus & { subscriptions: Array<[Topic, string]> } {
  const subscriptions: Array<[Topic, string]> = [];
  return {
    subscriptions,
    publish: () => Promise.reject(new Error('nothing is published while registering')),
    consume: (topic, group) => void subscriptions.push([topic, group]),
  };
}

/** Every consumer group the crew registers, as the composition root and `crew serve` register them. */
function registeredGroups(): Map<Topic, Set<string>> {
  const bus = recordingBus();
  const deps = {} as never;
  new Conductor({ bus, plans: deps, stacks: deps, lock: deps, scheduler: deps, logger: deps, access: deps }).register();
  registerAtlas({ bus, stacks: deps, logger: deps, defaults: deps });
  registerSentinel({ bus, plans: deps, artifacts: deps, stacks: deps, logger: deps, defaultRegion: 'us-east-1' });
  registerForge({
    bus,
    plans: deps,
    artifacts: deps,
    stacks: deps,
    redis: deps,
    logger: deps,
    dataDir: '/nonexistent',
    runners: {},
  });
  followPlans(bus, deps, deps, deps);
  const groups = new Map<Topic, Set<string>>();
  for (const [topic, group] of bus.subscriptions) groups.set(topic, (groups.get(topic) ?? new Set()).add(group));
  return groups;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Who a file publishes as: surfaces publish through PlanOperations, agents from their own folders. */
function producerOf(file: string): string {
  if (file === 'src/conductor/plan-operations.ts') return 'surface';
  const role = /^src\/(?:conductor|agents\/(atlas|forge|sentinel))(?:-agent\.ts|\/)/.exec(file);
  if (!role)
    throw new Error(`${file} publishes on the bus but is no known producer: add it to producerOf and TOPIC_MAP`);
  return role[1] ?? 'conductor';
}

/** Every `.publish('<topic>'` in src, by producer. */
function publishedTopics(): Map<Topic, Set<string>> {
  const found = new Map<Topic, Set<string>>();
  for (const path of sourceFiles(join(ROOT, 'src'))) {
    const file = relative(ROOT, path);
    for (const m of readFileSync(path, 'utf8').matchAll(/\.publish\(\s*'([a-z.]+)'/g)) {
      const topic = m[1] as Topic;
      found.set(topic, (found.get(topic) ?? new Set()).add(producerOf(file)));
    }
  }
  return found;
}

function renderTopicDoc(): string {
  const code = (s: string) => `\`${s}\``;
  const rows = TOPICS.map((topic) => {
    const r = TOPIC_MAP[topic];
    return `| ${code(topic)} | ${r.producers.join(', ')} | ${r.groups.join(', ')} | ${r.carries.join(', ')} |`;
  });
  return [
    '# Bus topics',
    '',
    '<!-- Generated from TOPIC_MAP in src/bus/topic-map.ts by test/unit/bus/topic-map.test.ts;',
    '     after changing the map run: npx vitest run test/unit/bus/topic-map.test.ts -u -->',
    '',
    'One Redis stream per topic; each consumer group reads every entry of its topic once (at least',
    'once, made effectively once by artifact-id dedupe). The producers and groups below are checked',
    'against the code by the same test, so this table cannot drift from what runs.',
    '',
    '| topic | producer | consumer group(s) | artifact type(s) |',
    '|---|---|---|---|',
    ...rows,
    '',
    '*surface* is the CLI or Slack, publishing through `PlanOperations` (src/conductor/plan-operations.ts).',
    '',
    '- **Typed both ways.** `publish(topic, artifact)` compiles only for a type the topic carries and',
    '  checks it again at run time; `consume(topic, group, handler)` hands the handler exactly those',
    '  types. Where a topic carries several (`plan.pending`: PlanSpec or DesignBlocked) the handler',
    '  narrows on `artifact.type`.',
    '- **Misrouted artifacts are dead letters.** An entry of a type its topic does not carry (written',
    '  by an old or foreign producer, or by hand) never reaches a handler: it goes to the dead-letter',
    '  stream with the reason `misrouted: <topic> carries <types>, not <type>`, and its plan is',
    '  handled like any dead letter: FAILED, or rolled back if it was applying.',
    '- CostDigest is not carried on the bus: FinPilot builds it when asked (`crew digest`, the weekly',
    '  Slack post).',
    '',
  ].join('\n');
}

describe('the topic map', () => {
  it('names every consumer group the crew registers, and no other', () => {
    const registered = registeredGroups();
    for (const topic of TOPICS) {
      expect([...(registered.get(topic) ?? [])].sort(), topic).toEqual([...TOPIC_MAP[topic].groups].sort());
    }
    expect(TOPIC_MAP.notify.groups).toContain(SLACK_GROUP);
  });

  it('names every producer that publishes on each topic, and no other', () => {
    const published = publishedTopics();
    for (const topic of TOPICS) {
      expect([...(published.get(topic) ?? [])].sort(), topic).toEqual([...TOPIC_MAP[topic].producers].sort());
    }
  });

  it('is the table in docs/bus-topics.md', async () => {
    await expect(renderTopicDoc()).toMatchFileSnapshot(join(ROOT, 'docs', 'bus-topics.md'));
  });

  it('types what a handler gets and refuses to publish another type at compile time', () => {
    const bus = recordingBus();
    bus.consume('apply.request', 'forge', async (a) => {
      expectTypeOf(a).toEqualTypeOf<ArtifactOn<'apply.request'>>();
      expectTypeOf(a.payload.planSha256).toBeString();
    });
    bus.consume('plan.pending', 'conductor', async (a) => {
      expectTypeOf(a.type).toEqualTypeOf<'PlanSpec' | 'DesignBlocked'>();
    });
    const event = makeArtifact(
      'OpsEvent',
      'p-test1',
      { kind: 'heartbeat', detail: 'ok' },
      { producer: 'test', cause: 'x' },
    );
    // Never called: the compiler is the test.
    const refused = () => {
      // @ts-expect-error apply.request carries ApplyRequest, not OpsEvent
      void bus.publish('apply.request', event);
      void bus.publish('notify', event);
    };
    expect(typeof refused).toBe('function');
  });
});
