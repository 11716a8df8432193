import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAnsibleEnv } from '../../src/agents/forge/build-ansible-env.js';
import { renderUnsafeVars, type VarValue } from '../../src/agents/forge/render-unsafe-vars.js';
import { requireDebianBinary } from '../support/bind-server.js';
import {
  jinjaPayloads,
  makeMarkers,
  quotelessPipePayload,
  shellPayloads,
  type Markers,
} from '../support/evaluation-payloads.js';

// The extra-vars file Forge hands ansible-playbook: read back through Ansible itself, every
// value must arrive exactly as written and nothing in it may be evaluated.

const PLAYBOOK = `- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - ansible.builtin.copy:
        content: "{{ data | to_json }}"
        dest: "{{ out }}"
`;

let dir: string;
let markers: Markers;
beforeAll(() => {
  requireDebianBinary('ansible-playbook');
  dir = mkdtempSync(join(tmpdir(), 'crew-unsafe-vars-'));
  markers = makeMarkers();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  markers?.remove();
});

describe('renderUnsafeVars', () => {
  it('tags every string !unsafe and quotes it so YAML cannot read it as anything else', () => {
    const text = renderUnsafeVars({
      a: 'x: "y" \\ {{ z }}',
      n: 53,
      b: false,
      none: null,
      l: ['é', '\n'],
      d: { 'k"': 'v' },
    });
    expect(text.split('\n').slice(1)).toEqual([
      'a: !unsafe "x: \\"y\\" \\\\ {{ z }}"',
      'n: 53',
      'b: false',
      'none: null',
      'l: [!unsafe "\\u00e9", !unsafe "\\u000a"]',
      'd: {"k\\"": !unsafe "v"}',
      '',
    ]);
  });

  it('refuses variable names that are not identifiers and values YAML cannot carry', () => {
    expect(() => renderUnsafeVars({ 'a: b': 'x' })).toThrow(/not an Ansible variable name/);
    expect(() => renderUnsafeVars({ a: Number.NaN })).toThrow(/cannot hold NaN/);
    expect(() => renderUnsafeVars({ a: '\ud800' })).toThrow(/lone UTF-16 surrogate/);
  });

  it('reaches ansible-playbook as exactly the data written, with no template or shell payload run', async () => {
    const strings: Record<string, string> = {
      ...jinjaPayloads(markers.path('jinja')),
      quoteless: quotelessPipePayload('quoteless'),
      ...shellPayloads(markers.path('shell')),
      control: 'tab\there\nnewline "quotes" \\backslash\\ \u0000 nul',
      unicode: 'é ü 😀 \u2028',
    };
    const data: Record<string, VarValue> = {
      ...strings,
      list: Object.values(strings),
      nested: { deeper: [{ v: strings['pipe lookup'] ?? '' }] },
      n: 1.5,
      t: true,
      z: null,
    };
    const vars = join(dir, 'vars.yml');
    const out = join(dir, 'out.json');
    writeFileSync(vars, renderUnsafeVars({ data, out }));
    writeFileSync(join(dir, 'read-back.yml'), PLAYBOOK);
    const r = await execa('ansible-playbook', [join(dir, 'read-back.yml'), '-e', `@${vars}`], {
      cwd: dir,
      env: buildAnsibleEnv(dir, { HOME: markers.dir }, process.env),
      extendEnv: false,
      reject: false,
    });
    expect(markers.created()).toEqual([]);
    expect(r.exitCode, String(r.stdout)).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(data);
  });
});
