import { CrewError } from '../errors.js';
import { defaultUser } from './run-action.js';

/**
 * Who is acting. By default `--as` names anyone (handy for a shared terminal and for tests).
 * With CREW_STRICT_IDENTITY=1 the CLI cannot impersonate: the actor is the OS user, mapped
 * through CREW_IDENTITY_MAP (`osuser=U123ABC,…`) to the Slack identity approvals use, and
 * `--as` is accepted only when it names that same identity. An unmapped OS user is refused.
 */
export function resolveIdentity(as: string | undefined, env: NodeJS.ProcessEnv = process.env, osUser: string = defaultUser()): string {
  const strict = env.CREW_STRICT_IDENTITY === '1' || env.CREW_STRICT_IDENTITY === 'true';
  if (!strict) return as ?? osUser;
  const map = new Map(
    (env.CREW_IDENTITY_MAP ?? '')
      .split(',')
      .map((pair) => pair.split('=').map((x) => x.trim()))
      .filter((p): p is [string, string] => p.length === 2 && p[0] !== '' && p[1] !== ''),
  );
  const me = map.get(osUser);
  if (!me) {
    throw new CrewError('CREW_ERR_REFUSED', `strict identity: OS user ${osUser} is not mapped in CREW_IDENTITY_MAP; ask an admin to map it to your Slack id`);
  }
  if (as !== undefined && as !== me && as !== osUser) {
    throw new CrewError('CREW_ERR_REFUSED', `strict identity: you are ${me} (OS user ${osUser}); --as ${as} cannot act for someone else`);
  }
  return me;
}
