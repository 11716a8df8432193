import type { Command } from 'commander';
import { CrewError } from '../../errors.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { runAction } from '../run-action.js';
import { withReader } from '../with-reader.js';

/** `crew policy check <file>`: validates a Cedar policy against the crew's entity model. */
async function checkPolicy(io: CliIo, file: string): Promise<number> {
  const [{ readFile }, { checkCedarPolicy }] = await Promise.all([
    import('node:fs/promises'),
    import('../../config/check-cedar-policy.js'),
  ]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CrewError('CREW_ERR_BAD_INPUT', `cannot read ${file}: ${(err as Error).message}`);
  }
  const c = checkCedarPolicy(text);
  if (!c.ok) {
    for (const e of c.errors) io.err(`${file}: ${e}`);
    io.err(
      `${c.errors.length} error${c.errors.length === 1 ? '' : 's'}: the crew would refuse to start with this policy`,
    );
    return EXIT.ERROR;
  }
  io.out(`ok: ${c.ids.length} ${c.ids.length === 1 ? 'policy' : 'policies'} (${c.ids.join(', ')})`);
  return EXIT.OK;
}

interface ExplainOptions {
  as: string;
  action: string;
  json?: boolean;
}

/** `crew policy explain`: the decision the crew's published rules give, and why; records nothing. */
async function explain(io: CliIo, planId: string, opts: ExplainOptions): Promise<number> {
  const [{ AUTHZ_ACTIONS }, { authorize }, { buildAuthzInput }, { accessPolicyFromConfig }, { AccessPolicyStore }] =
    await Promise.all([
      import('../../access/authz/authz-types.js'),
      import('../../access/authz/authorize.js'),
      import('../../access/authz/build-authz-input.js'),
      import('../../access/access-policy.js'),
      import('../../store/access-policy-store.js'),
    ]);
  const action = AUTHZ_ACTIONS.find((a) => a === opts.action);
  if (!action)
    throw new CrewError('CREW_ERR_BAD_INPUT', `--action ${opts.action} is not one of ${AUTHZ_ACTIONS.join(', ')}`);
  return withReader(io, async ({ config, redis, plans }) => {
    const { findPlan } = await import('../../conductor/find-plan.js');
    const found = await findPlan(plans, planId);
    if (!found.ok) {
      io.err(`refused: ${found.refusal}`);
      return EXIT.ERROR;
    }
    const plan = found.value;
    const published = await new AccessPolicyStore({ redis }).read();
    if (!published) io.err('note: no access policy is published yet; explaining with this terminal’s configuration');
    const rules = published ?? accessPolicyFromConfig(config, { setBy: 'this terminal', source: 'first-process' });
    const request = { by: opts.as, action, plan, ...(plan.stack ? { stack: plan.stack } : {}) };
    const verdict = await authorize(rules, request);
    const input = buildAuthzInput(rules, request);
    if (opts.json) {
      io.out(JSON.stringify({ ...verdict, input }));
    } else {
      const a = input.resource.attributes;
      io.out(
        [
          `${verdict.allowed ? 'allow' : 'deny'}: ${opts.as} ${action} plan ${plan.id}`,
          `engine: ${verdict.engine} (${verdict.source})`,
          `deciding policies: ${verdict.policies.length ? verdict.policies.join(', ') : verdict.allowed ? '(none)' : 'none: no policy permits it'}`,
          ...(verdict.refusal ? [`why: ${verdict.refusal}`] : []),
          ...verdict.errors.map((e) => `error: ${e}`),
          `principal: Person::"${input.principal.id}" in ${input.principal.groups.map((g) => `Group::"${g}"`).join(', ') || 'no group'}`,
          `resource: Stack::"${input.resource.id}" target=${a.target || '-'} blueprint=${a.blueprint || '-'} region=${a.region || '-'} risk=${a.riskLevel || '-'} destructive=${a.destructive} monthlyUsd=${a.monthlyUsd} change=${a.monthlyUsdChange} environment=${a.environment || '-'} requestedBy=${a.requestedBy ?? '-'}`,
          `context: allowSelfApproval=${input.context.allowSelfApproval} approversListed=${input.context.approversListed}`,
        ].join('\n'),
      );
    }
    return verdict.allowed ? EXIT.OK : EXIT.REFUSED;
  });
}

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('who may do what: check a Cedar policy, explain a decision');
  policy
    .command('check')
    .description('validate a Cedar policy file against the crew entity model (line-numbered errors)')
    .argument('<file>', 'Cedar policy file')
    .action((file: string) => runAction((io) => checkPolicy(io, file)));
  policy
    .command('explain')
    .description("the decision the crew's published rules give a person on a plan, and the policies that decided it")
    .requiredOption('--as <user>', 'the person asking')
    .requiredOption('--action <action>', 'plan, approve, reject, rollback, unlock, schedule or check')
    .option('--json', 'print the verdict and the engine input as JSON')
    .argument('<plan-id>', 'plan id (or a unique prefix)')
    .action((planId: string, opts: ExplainOptions) => runAction((io) => explain(io, planId, opts)));
}
