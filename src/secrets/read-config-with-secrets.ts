import { readConfig, type CrewConfig } from '../config/read-config.js';
import { readSecrets } from './read-secrets.js';

/** The crew's configuration as a long-running process sees it: secrets from Vault, else the environment. */
export async function readConfigWithSecrets(): Promise<Readonly<CrewConfig>> {
  const secrets = await readSecrets(process.env);
  return readConfig(process.env, process.cwd(), secrets.values);
}
