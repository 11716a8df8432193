import type { Command } from 'commander';
import { CrewError } from '../../errors.js';
import { readConfigWithSecrets } from '../../secrets/read-config-with-secrets.js';
import { EXIT } from '../cli-io.js';
import { auditCsv, auditText } from '../render-audit.js';
import { runAction } from '../run-action.js';

interface AuditOptions {
  since: string;
  actor?: string;
  stack?: string;
  json?: boolean;
  csv?: boolean;
}

/** `crew audit`: reads the audit trail in PostgreSQL; starts no agent and needs no Redis. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('the audit trail in PostgreSQL (CREW_DATABASE_URL): transitions, refusals and decisions')
    .requiredOption('--since <iso>', 'entries at or after this instant (ISO 8601, e.g. 2026-12-01T00:00:00Z)')
    .option('--actor <who>', 'only entries by this person or agent')
    .option('--stack <name>', 'only entries of plans on this stack')
    .option('--json', 'print a JSON array')
    .option('--csv', 'print CSV with a header row')
    .action((opts: AuditOptions) =>
      runAction(async (io) => {
        const since = new Date(opts.since);
        if (Number.isNaN(since.getTime()))
          throw new CrewError('CREW_ERR_BAD_INPUT', `--since ${opts.since} is not an ISO 8601 instant`);
        if (opts.json && opts.csv) throw new CrewError('CREW_ERR_BAD_INPUT', 'choose one of --json and --csv');
        const config = await readConfigWithSecrets();
        if (!config.databaseUrl)
          throw new CrewError(
            'CREW_ERR_CONFIG',
            'the audit trail is in PostgreSQL: set CREW_DATABASE_URL (crew history <id> shows one plan from Redis)',
          );
        // pg loads only for `crew audit`.
        const [{ openDatabase }, { readAudit }] = await Promise.all([
          import('../../store/open-database.js'),
          import('../../store/read-audit.js'),
        ]);
        const pool = await openDatabase({ url: config.databaseUrl, max: 1 });
        try {
          const rows = await readAudit(pool, {
            since,
            ...(opts.actor ? { actor: opts.actor } : {}),
            ...(opts.stack ? { stack: opts.stack } : {}),
          });
          io.out(opts.json ? JSON.stringify(rows) : opts.csv ? auditCsv(rows) : auditText(rows));
          return EXIT.OK;
        } finally {
          await pool.end();
        }
      }),
    );
}
