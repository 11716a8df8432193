import type { Command } from 'commander';
import { CrewError } from '../../errors.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { parseSeconds, runAction } from '../run-action.js';
import { withReader } from '../with-reader.js';

// The AWS SDK loads when the command runs, not at CLI start.
const load = {
  aws: () => import('../../agents/finpilot/aws-clients.js'),
  rollout: () => import('../../agents/forge/read-rollout.js'),
};

interface RolloutOptions {
  wait?: boolean;
  timeout?: string;
  every?: string;
  json?: boolean;
}

function everyMs(raw: string | undefined): number {
  const n = raw === undefined ? 15 : /^\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || n < 0.1)
    throw new CrewError('CREW_ERR_BAD_INPUT', `--every ${raw} is not a number of seconds (at least 0.1)`);
  return n * 1000;
}

/**
 * `crew rollout <stack>`: the group's instance refreshes, newest first. With `--wait`, follows the
 * newest until it ends: exit 0 when it succeeded (or there is none), 1 when it failed or was
 * cancelled or `--timeout` passed first.
 */
async function rollout(io: CliIo, stack: string, opts: RolloutOptions): Promise<number> {
  const timeoutMs = parseSeconds(opts.timeout, 1800);
  const pollMs = everyMs(opts.every);
  const [{ createAutoScalingClient }, { readRefreshes, refreshLine, rolloutGroupOf, rolloutOutcome, rolloutText }] =
    await Promise.all([load.aws(), load.rollout()]);
  const where = await withReader(io, async (r) => {
    const g = await rolloutGroupOf({ stacks: r.stacks, plans: r.plans, region: r.config.aws.client.region }, stack);
    if (!g.ok) throw new CrewError('CREW_ERR_BAD_INPUT', g.refusal);
    return { ...g.value, aws: r.config.aws.client };
  });
  const client = createAutoScalingClient({ ...where.aws, region: where.region });
  try {
    const deadline = Date.now() + timeoutMs;
    let list = await readRefreshes(client, where.group);
    if (opts.wait && !opts.json)
      io.err(`stack ${stack}, group ${where.group} (${where.region}): following its newest instance refresh`);
    let last = '';
    while (opts.wait && rolloutOutcome(list[0]) === 'running' && Date.now() < deadline) {
      const line = refreshLine(list[0]!);
      if (line !== last && !opts.json) io.err(`  ${line}`);
      last = line;
      await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
      list = await readRefreshes(client, where.group);
    }
    const outcome = rolloutOutcome(list[0]);
    if (opts.json)
      io.out(JSON.stringify({ stack, group: where.group, region: where.region, outcome, refreshes: list }));
    else {
      io.out(rolloutText(where, list));
      if (opts.wait && outcome === 'running') io.err(`still running after ${timeoutMs / 1000} s (--timeout)`);
    }
    if (!opts.wait) return EXIT.OK;
    return outcome === 'successful' || outcome === 'none' ? EXIT.OK : EXIT.ERROR;
  } finally {
    client.destroy();
  }
}

export function registerRolloutCommand(program: Command): void {
  program
    .command('rollout')
    .description(
      "an Ollama stack's instance refreshes on AWS (the replacement of its running instances a change of type, model or volume starts), newest first",
    )
    .argument('<stack>', 'stack name')
    .option('--wait', 'follow the newest refresh until it ends: exit 0 when it succeeded, 1 when not')
    .option('--timeout <seconds>', 'how long --wait follows it', '1800')
    .option('--every <seconds>', 'how often --wait asks AWS', '15')
    .option('--json', 'print one JSON object')
    .action((stack: string, opts: RolloutOptions) => runAction((io) => rollout(io, stack, opts)));
}
