import type { AccessRules } from '../access/access-policy.js';
import { normalizeIdentity, sameIdentity } from '../access/normalize-identity.js';
import { CrewError } from '../errors.js';

/**
 * Who is acting. By default `--as` names anyone (handy for a shared terminal and for tests).
 * Under the crew's strict identity rule the CLI cannot impersonate: the actor is the OS user,
 * mapped through the crew's identity map to the identity approvals use, and `--as` is accepted
 * only when it names that same identity. Both come from the crew's published access policy,
 * never from this terminal's environment. `osUser` is the configured OS user (config.osUser).
 */
export function resolveIdentity(
  as: string | undefined,
  rules: Pick<AccessRules, 'strictIdentity' | 'identityMap'>,
  osUser: string,
): string {
  if (as !== undefined) {
    const named = normalizeIdentity(as, '--as identity');
    if (!named.ok) throw new CrewError('CREW_ERR_BAD_INPUT', named.refusal);
    as = named.id;
  }
  if (!rules.strictIdentity) {
    const who = normalizeIdentity(as ?? osUser, 'OS user name');
    if (!who.ok) throw new CrewError('CREW_ERR_BAD_INPUT', `${who.refusal}; pass --as <name>`);
    return who.id;
  }
  const me = Object.hasOwn(rules.identityMap, osUser) ? rules.identityMap[osUser] : undefined;
  if (!me) {
    throw new CrewError(
      'CREW_ERR_REFUSED',
      `strict identity: OS user ${osUser} is not mapped in the crew's identity map (CREW_IDENTITY_MAP where crew serve or crew worker runs); ask an admin to map it to your Slack id`,
    );
  }
  if (as !== undefined && !sameIdentity(as, me) && !sameIdentity(as, osUser)) {
    throw new CrewError(
      'CREW_ERR_REFUSED',
      `strict identity: you are ${me} (OS user ${osUser}); --as ${as} cannot act for someone else`,
    );
  }
  return me;
}
