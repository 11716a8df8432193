import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Payloads that run a command or read a file when something evaluates them (Ansible/Jinja,
// Terraform interpolation, a shell), and a marker directory that tells whether one ran.

/** A string without quotes in it: `dict(word=1)|first` is "word" to Jinja. */
const bare = (word: string) => `dict(${word}=1)|first`;

export interface Markers {
  dir: string;
  /** An absolute path inside `dir` the payload for `name` would create. */
  path(name: string): string;
  /** Every file a payload created (empty when nothing ran). */
  created(): string[];
  remove(): void;
}

export function makeMarkers(): Markers {
  const dir = mkdtempSync(join(tmpdir(), 'crew-marker-'));
  return {
    dir,
    path: (name) => join(dir, name),
    created: () => readdirSync(dir),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Jinja payloads that create `marker` (an absolute path) when Ansible evaluates them. */
export function jinjaPayloads(marker: string): Record<string, string> {
  return {
    'pipe lookup': `{{ lookup('pipe', 'touch ${marker}') }}`,
    'pipe lookup inside a statement': `{% for x in [1] %}{{ lookup('pipe', 'touch ${marker}-for') }}{% endfor %}`,
    'comment marker': `{# ${marker} #}`,
  };
}

/**
 * The form, written without a single quote (so it fits inside a quoted TXT value in a
 * goal): touches $HOME/<name> through the pipe lookup. `name` must be a Python identifier.
 */
export function quotelessPipePayload(name: string): string {
  const home = `lookup(${bare('env')}, ${bare('HOME')})`;
  const space = '(dict(a=1)|string)[5]';
  return `{{ lookup(${bare('pipe')}, ${bare('touch')} ~ ${space} ~ ${home} ~ ${home}[0] ~ ${bare(name)}) }}`;
}

/** Copies the secret of the TSIG key file Forge hands ansible-playbook into the value. */
export const TSIG_FILE_PAYLOAD = "{{ lookup('file', lookup('env', 'CREW_DNS_TSIG_KEYFILE')).split()[-2] }}";

/** The same without a single quote, as it fits in a goal's quoted TXT value. */
export const QUOTELESS_TSIG_FILE_PAYLOAD = `{{ lookup(${bare('file')}, lookup(${bare('env')}, ${bare('CREW_DNS_TSIG_KEYFILE')})).split()[-2] }}`;

/** Terraform template payloads: read `secretFile` or branch when Terraform evaluates them. */
export function terraformPayloads(secretFile: string): Record<string, string> {
  return {
    interpolation: `\${file("${secretFile}")}`,
    directive: `%{ if true }\${file("${secretFile}")}%{ endif }`,
  };
}

/** Shell payloads that create `marker` when a shell evaluates them. */
export function shellPayloads(marker: string): Record<string, string> {
  return {
    'command substitution': `$(touch ${marker}-subst)`,
    backticks: `\`touch ${marker}-tick\``,
    'command separator': `x; touch ${marker}-semi`,
    'quote break-out': `x"; touch ${marker}-quote; "`,
  };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The files under `dirs` (and the named texts) that contain `secret`. */
export function findSecret(secret: string, dirs: string[], texts: Record<string, string> = {}): string[] {
  const files = dirs
    .flatMap(filesUnder)
    .filter((f) => statSync(f).size < 5_000_000 && readFileSync(f).includes(secret));
  const named = Object.entries(texts)
    .filter(([, text]) => text.includes(secret))
    .map(([name]) => name);
  return [...files, ...named];
}
