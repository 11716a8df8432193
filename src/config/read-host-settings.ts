import { userInfo } from 'node:os';
import type { EnvSource } from './read-env-values.js';

/** Who runs this process: the OS user name, which the CLI acts as unless told otherwise. */
export function readOsUser(env: EnvSource): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'unknown';
  }
}

// Child processes (terraform, ansible-playbook) get these and nothing else from the process
// environment: never the bot's own secrets (Slack tokens, Vault token, …).
const INHERITED = /^(?:PATH|HOME|LANG|TF_.+|ANSIBLE_.+)$/;

/** The variables a child process may inherit; each runner takes its own subset of them. */
export function readInheritedEnv(env: EnvSource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && INHERITED.test(key)) out[key] = value;
  return out;
}
