import type { Command } from 'commander';
import { EXIT } from '../cli-io.js';
import { parseSeconds, runAction } from '../run-action.js';
import { resolveIdentity } from '../resolve-identity.js';
import { rolesToRest } from '../../runtime/crew-roles.js';
import { printAtReview } from '../print-at-review.js';
import { withCrew } from '../with-crew.js';

// Drift code (and Forge's runner) loads when a drift command runs, not at CLI start.
const load = {
  run: () => import('../../agents/forge/drift-run.js'),
  render: () => import('../../agents/forge/drift-render-text.js'),
  snooze: () => import('../../agents/forge/drift-snooze.js'),
  build: () => import('../../runtime/build-drift-checks.js'),
  triage: () => import('../../agents/forge/drift-triage.js'),
};

interface DriftOptions {
  json?: boolean;
  as?: string;
  until?: string;
  timeout?: string;
}

/** `crew drift [<stack>]`: exit 0 when clean, 2 when drift was found, 1 when a check failed. */
function checkDrift(stack: string | undefined, opts: DriftOptions): Promise<void> {
  return runAction((io) =>
    withCrew(
      io,
      async ({ config, redis, crew, logger }) => {
        const [{ runDriftChecks }, { renderDriftRun }, { buildDriftChecks }] = await Promise.all([
          load.run(),
          load.render(),
          load.build(),
        ]);
        const r = await runDriftChecks(buildDriftChecks({ config, redis, crew, logger }), 'cli', stack);
        if (!r.ok) {
          io.err(`refused: ${r.refusal}`);
          return EXIT.REFUSED;
        }
        io.out(opts.json ? JSON.stringify(r.run) : renderDriftRun(r.run.stacks).join('\n'));
        if (r.run.stacks.some((s) => s.status === 'failed')) return EXIT.ERROR;
        return r.run.stacks.some((s) => s.status === 'drifted') ? EXIT.BLOCKED : EXIT.OK;
      },
      [],
    ),
  );
}

function snoozeDriftCommand(stack: string | undefined, opts: DriftOptions): Promise<void> {
  return runAction((io) =>
    withCrew(
      io,
      async ({ config, redis, crew, access }) => {
        if (!stack || !opts.until) {
          io.err('usage: crew drift snooze <stack> --until <YYYY-MM-DD>');
          return EXIT.ERROR;
        }
        const [{ snoozeDrift }, { DriftStore }] = await Promise.all([
          load.snooze(),
          import('../../store/drift-store.js'),
        ]);
        const r = await snoozeDrift(
          { store: new DriftStore({ redis }), stacks: crew.stacks, plans: crew.plans, access, now: new Date() },
          stack,
          opts.until,
          resolveIdentity(opts.as, access, config.osUser),
        );
        if (!r.ok) {
          io.err(`refused: ${r.refusal}`);
          return EXIT.REFUSED;
        }
        io.out(
          opts.json
            ? JSON.stringify({ stack, ...r.snooze })
            : `drift reports of ${stack} snoozed until ${r.snooze.until}`,
        );
        return EXIT.OK;
      },
      [],
    ),
  );
}

/**
 * `crew drift revert|adopt <stack>`: submits the triage plan as the caller and waits for its
 * review like `crew plan` (exit 0 awaiting approval, 2 blocked, 1 failed; 3 refused).
 */
function triageDriftCommand(action: 'revert' | 'adopt', stack: string | undefined, opts: DriftOptions): Promise<void> {
  return runAction((io) =>
    withCrew(
      io,
      async ({ config, redis, crew, access }) => {
        if (!stack) {
          io.err(`usage: crew drift ${action} <stack>`);
          return EXIT.ERROR;
        }
        const timeoutMs = parseSeconds(opts.timeout, 1800);
        const [{ revertDrift, adoptDrift, describeMapping }, { DriftStore }] = await Promise.all([
          load.triage(),
          import('../../store/drift-store.js'),
        ]);
        const deps = { ops: crew.ops, stacks: crew.stacks, store: new DriftStore({ redis }) };
        const request = { stack, by: resolveIdentity(opts.as, access, config.osUser), producer: 'cli' };
        const r = action === 'revert' ? await revertDrift(deps, request) : await adoptDrift(deps, request);
        if (!r.ok) {
          io.err(`refused: ${r.refusal}`);
          return EXIT.REFUSED;
        }
        if (!opts.json) {
          io.err(
            `plan ${r.value.plan.id} submitted (drift ${action} of ${stack}, version ${r.value.version}); planning…`,
          );
          if (r.value.mapping) for (const line of describeMapping(r.value.mapping)) io.err(`  ${line}`);
        }
        return printAtReview(crew.plans, r.value.plan.id, io, {
          json: opts.json,
          timeoutMs,
          ...(r.value.mapping ? { extra: { adopt: r.value.mapping } } : {}),
        });
      },
      // The agents run here while it waits, like `crew plan`: it works alone and beside a server.
      rolesToRest('DRAFTING'),
    ),
  );
}

export function registerDriftCommand(program: Command): void {
  program
    .command('drift')
    .description(
      'check applied stacks for changes made outside the crew (refresh-only plan); exit 0 clean, 2 drift. ' +
        '`crew drift snooze <stack> --until <date>` silences one stack; `crew drift revert|adopt <stack>` ' +
        'plans the approved spec back, or the observed values into the spec (reviewed and approved like any plan)',
    )
    .argument('[stack]', 'one stack (default: every applied stack), or `snooze`, `revert`, `adopt`')
    .argument('[target]', 'with snooze, revert, adopt: the stack')
    .option('--until <date>', 'with snooze: YYYY-MM-DD or an ISO date-time')
    .option('--as <user>', 'who (snooze: an approver; revert, adopt: the requester)')
    .option('--timeout <seconds>', 'revert, adopt: how long to wait for the review', '1800')
    .option('--json', 'print one JSON object')
    .action((first: string | undefined, second: string | undefined, opts: DriftOptions) =>
      first === 'snooze'
        ? snoozeDriftCommand(second, opts)
        : first === 'revert' || first === 'adopt'
          ? triageDriftCommand(first, second, opts)
          : checkDrift(first, opts),
    );
}
