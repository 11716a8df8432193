import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CrewError } from '../errors.js';
import { registerSecret } from '../log/redact-text.js';
import { readNumber, type EnvSource } from './read-env-values.js';

/** The proxmox target: the API Forge's terraform talks to, and how the K3s playbooks reach the VMs. */
export interface ProxmoxSettings {
  /** CREW_PROXMOX_ENDPOINT: the Proxmox VE API (https://pve.example:8006/); reaches terraform as PROXMOX_VE_ENDPOINT. */
  endpoint?: string;
  /**
   * PROXMOX_API_TOKEN (Vault, else the environment): `user@realm!tokenid=secret`. A secret:
   * reaches terraform only as PROXMOX_VE_API_TOKEN, never a file, masked in every log.
   */
  apiToken?: string;
  /** CREW_PROXMOX_SSH_USER: the user cloud-init creates on the VMs and Ansible logs in as (default ubuntu). */
  sshUser: string;
  /** CREW_PROXMOX_SSH_KEY_FILE: the private key ansible-playbook logs in with. */
  sshKeyFile?: string;
  /** The OpenSSH public key beside it (`<key file>.pub`), authorised on the VMs; empty when there is none. */
  sshPublicKeys: string[];
  /** CREW_ANSIBLE_PLAYBOOK_BIN: default ansible-playbook from PATH. */
  ansiblePlaybookBin: string;
  /** CREW_PROXMOX_PLAYBOOK_TIMEOUT_SEC: one run of playbooks/k3s (default 30 minutes). */
  playbookTimeoutMs: number;
}

const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const TOKEN = /^[^\s@]+@[^\s!]+![^\s=]+=\S+$/;
const PUBLIC_KEY = /^(?:ssh-(?:ed25519|rsa)|ecdsa-sha2-nistp(?:256|384|521)) [A-Za-z0-9+/=]+(?: [^\n]*)?$/;

function fail(message: string): never {
  throw new CrewError('CREW_ERR_CONFIG', message);
}

function readEndpoint(raw: string | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(`CREW_PROXMOX_ENDPOINT=${text} is not a URL (e.g. https://pve.example.com:8006/)`);
  }
  // The Proxmox API speaks only https; a token must never travel in clear text.
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password || /["\s]/.test(text))
    fail(`CREW_PROXMOX_ENDPOINT=${text} is not an https URL without credentials (e.g. https://pve.example.com:8006/)`);
  return text;
}

function readToken(raw: string | undefined): string | undefined {
  const token = raw?.trim();
  if (!token) return undefined;
  registerSecret(token);
  registerSecret(token.slice(token.indexOf('=') + 1));
  // The message never holds the value.
  if (!TOKEN.test(token)) fail('PROXMOX_API_TOKEN is not a Proxmox API token (user@realm!tokenid=secret)');
  return token;
}

function readPublicKeys(keyFile: string | undefined): string[] {
  if (!keyFile || !existsSync(`${keyFile}.pub`)) return [];
  const key = readFileSync(`${keyFile}.pub`, 'utf8').trim();
  if (!PUBLIC_KEY.test(key)) fail(`${keyFile}.pub (beside CREW_PROXMOX_SSH_KEY_FILE) is not an OpenSSH public key`);
  return [key];
}

/** The proxmox target's settings; the API token comes from `secrets` (Vault, else the environment). */
export function readProxmoxSettings(env: EnvSource, cwd: string, secrets: EnvSource = env): ProxmoxSettings {
  const endpoint = readEndpoint(env.CREW_PROXMOX_ENDPOINT);
  const apiToken = readToken(secrets.PROXMOX_API_TOKEN ?? env.PROXMOX_API_TOKEN);
  const sshUser = env.CREW_PROXMOX_SSH_USER?.trim() || 'ubuntu';
  if (!USER.test(sshUser)) fail(`CREW_PROXMOX_SSH_USER=${sshUser} is not a login name`);
  const rawKey = env.CREW_PROXMOX_SSH_KEY_FILE?.trim();
  const sshKeyFile = rawKey ? (isAbsolute(rawKey) ? rawKey : resolve(cwd, rawKey)) : undefined;
  if (sshKeyFile && !existsSync(sshKeyFile)) fail(`CREW_PROXMOX_SSH_KEY_FILE=${rawKey} does not exist`);
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(apiToken ? { apiToken } : {}),
    sshUser,
    ...(sshKeyFile ? { sshKeyFile } : {}),
    sshPublicKeys: readPublicKeys(sshKeyFile),
    ansiblePlaybookBin: env.CREW_ANSIBLE_PLAYBOOK_BIN?.trim() || 'ansible-playbook',
    playbookTimeoutMs: readNumber(env, 'CREW_PROXMOX_PLAYBOOK_TIMEOUT_SEC', 1800, 10, 86_400) * 1000,
  };
}
