import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { checkCedarPolicy } from './check-cedar-policy.js';
import { CrewError, errorMessage } from '../errors.js';
import { readList, type EnvSource } from './read-env-values.js';

/**
 * Who may do what, as policy, published with the access policy. Absent: the built-in Cedar
 * policy, which reproduces the approver list, four-eyes and the rollback/unlock rules.
 */
export interface AuthzSettings {
  /** The Cedar policy text in force and where it was read from (CREW_AUTHZ_POLICY). */
  cedar?: { text: string; source: string };
  /** OPA's Data API decision URL (CREW_OPA_URL): asked instead of Cedar. */
  opaUrl?: string;
  /** Named groups of people (CREW_AUTHZ_GROUPS): `Group::"<name>"` in policies. */
  groups?: Record<string, string[]>;
}

/** Reads and validates a Cedar policy file; a bad one is a configuration error naming each line. */
export function readCedarPolicyFile(path: string): { text: string; source: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CrewError('CREW_ERR_CONFIG', `CREW_AUTHZ_POLICY: cannot read ${path}: ${errorMessage(err)}`);
  }
  const checked = checkCedarPolicy(text);
  if (!checked.ok)
    throw new CrewError(
      'CREW_ERR_CONFIG',
      `CREW_AUTHZ_POLICY: ${path} is not a valid Cedar policy for the crew:\n${checked.errors.map((e) => `  ${path}: ${e}`).join('\n')}`,
    );
  return { text, source: path };
}

function readGroups(raw: string): Record<string, string[]> {
  // No prototype: a group named __proto__ is just a name.
  const groups = Object.create(null) as Record<string, string[]>;
  for (const entry of raw
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]+)\s*:(.*)$/.exec(entry);
    const members = m ? readList(m[2]) : [];
    if (!m || members.length === 0)
      throw new CrewError(
        'CREW_ERR_CONFIG',
        `CREW_AUTHZ_GROUPS: "${entry.slice(0, 80)}" is not group:member,member (e.g. contractors:dave,erin;sre:bob)`,
      );
    groups[m[1]!.toLowerCase()] = members;
  }
  return { ...groups };
}

/**
 * Who may do what, as policy: CREW_AUTHZ_POLICY (a Cedar file, validated here), CREW_OPA_URL
 * (OPA's Data API, asked instead), CREW_AUTHZ_GROUPS (named groups of people). Unset: the
 * built-in policy.
 */
export function readAuthzSettings(env: EnvSource, cwd: string): AuthzSettings | undefined {
  const file = env.CREW_AUTHZ_POLICY?.trim();
  const opa = env.CREW_OPA_URL?.trim();
  const groupsRaw = env.CREW_AUTHZ_GROUPS?.trim();
  if (file && opa)
    throw new CrewError(
      'CREW_ERR_CONFIG',
      'CREW_AUTHZ_POLICY and CREW_OPA_URL are both set: the crew asks one policy engine; unset one',
    );
  if (opa) {
    let url: URL | undefined;
    try {
      url = new URL(opa);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || !/^\/v1\/data\/[^/]/.test(url.pathname))
      throw new CrewError(
        'CREW_ERR_CONFIG',
        `CREW_OPA_URL=${opa} is not OPA's Data API URL of a decision (e.g. http://127.0.0.1:8181/v1/data/crew/authz)`,
      );
  }
  const settings: AuthzSettings = {
    ...(file ? { cedar: readCedarPolicyFile(isAbsolute(file) ? file : resolve(cwd, file)) } : {}),
    ...(opa ? { opaUrl: opa } : {}),
    ...(groupsRaw ? { groups: readGroups(groupsRaw) } : {}),
  };
  return Object.keys(settings).length ? settings : undefined;
}
