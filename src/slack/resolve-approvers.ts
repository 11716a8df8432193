import type { webApi } from '@slack/bolt';
import { CrewError, errorMessage } from '../errors.js';

/** Expands user group ids (S…) into their members with usergroups.users.list; user ids pass through. */
export async function resolveApprovers(client: webApi.WebClient, entries: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const entry of entries) {
    if (!entry.startsWith('S')) {
      out.add(entry);
      continue;
    }
    const r = await client.usergroups.users.list({ usergroup: entry }).catch((err: unknown) => {
      throw new CrewError(
        'CREW_ERR_CONFIG',
        `cannot resolve approver group ${entry} (needs the usergroups:read scope): ${errorMessage(err)}`,
        { cause: err },
      );
    });
    for (const u of r.users ?? []) out.add(u);
  }
  return [...out];
}
