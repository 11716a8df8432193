import type { Command } from 'commander';
import { EXIT, type CliIo } from '../cli-io.js';
import { resolveIdentity } from '../resolve-identity.js';
import { parseSeconds, runAction } from '../run-action.js';
import { rolesToRest } from '../../runtime/crew-roles.js';
import { printAtReview } from '../print-at-review.js';
import { withCrew } from '../with-crew.js';

// FinPilot's suggestion code (and Atlas's parser) loads when the command runs.
const load = {
  suggest: () => import('../../agents/finpilot/suggest-savings.js'),
  deps: () => import('../../runtime/build-savings-deps.js'),
};

interface SuggestOptions {
  json?: boolean;
  plan?: string;
  as?: string;
  timeout?: string;
}

/** `crew suggest`: the priced suggestions, numbered, kept as the list `--plan <n>` reads; no agents run. */
function listSuggestions(io: CliIo, opts: SuggestOptions): Promise<number> {
  return withCrew(
    io,
    async ({ config, redis, crew }) => {
      const [{ suggestSavings, renderSuggestionsText }, { buildSavingsDeps }] = await Promise.all([
        load.suggest(),
        load.deps(),
      ]);
      const list = await suggestSavings(await buildSavingsDeps({ config, redis, stacks: crew.stacks }));
      io.out(opts.json ? JSON.stringify(list) : renderSuggestionsText(list));
      return EXIT.OK;
    },
    [],
  );
}

/** `crew suggest --plan <n>`: submits suggestion n as a goal and waits for its review, like `crew plan`. */
function planOne(io: CliIo, n: number, opts: SuggestOptions): Promise<number> {
  const timeoutMs = parseSeconds(opts.timeout, 1800);
  return withCrew(
    io,
    async ({ config, redis, crew, access }) => {
      const [{ planSuggestion }, { buildSavingsDeps }] = await Promise.all([load.suggest(), load.deps()]);
      const deps = await buildSavingsDeps({ config, redis, stacks: crew.stacks });
      const r = await planSuggestion(deps, {
        n,
        requestedBy: resolveIdentity(opts.as, access, config.osUser),
        producer: 'cli',
        ops: crew.ops,
      });
      if (!r.ok) {
        io.err(`refused: ${r.refusal}`);
        return EXIT.REFUSED;
      }
      if (!opts.json) io.err(`plan ${r.value.planId} submitted ("${r.value.suggestion.goal ?? ''}"); planning…`);
      return printAtReview(crew.plans, r.value.planId, io, { json: opts.json, timeoutMs });
    },
    rolesToRest('DRAFTING'),
  );
}

export function registerSuggestCommand(program: Command): void {
  program
    .command('suggest')
    .description('priced savings suggestions per applied stack; --plan <n> submits one as a normal plan')
    .option('--plan <n>', 'submit suggestion n of the last list as a goal (review and approval as usual)')
    .option('--as <user>', 'who is asking (default: the OS user)')
    .option('--timeout <seconds>', 'how long --plan waits for the review', '1800')
    .option('--json', 'print one JSON object')
    .action((opts: SuggestOptions) =>
      runAction(async (io) => {
        if (opts.plan === undefined) return listSuggestions(io, opts);
        const n = Number(opts.plan);
        if (!Number.isInteger(n) || n < 1) {
          io.err(`refused: --plan takes the number of a suggestion (1, 2, …), not "${opts.plan}"`);
          return EXIT.REFUSED;
        }
        return planOne(io, n, opts);
      }),
    );
}
