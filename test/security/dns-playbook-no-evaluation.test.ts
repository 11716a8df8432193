import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsChangeRunner } from '../../src/agents/forge/dns-change-runner.js';
import { StackWorkspace } from '../../src/agents/forge/stack-workspace.js';
import { locatePlaybook } from '../../src/agents/forge/locate-playbook.js';
import type { DnsRecord } from '../../src/agents/forge/normalize-dns-record.js';
import { runDnsPlaybook, type DnsPlaybookOptions } from '../../src/agents/forge/run-dns-playbook.js';
import { makeDnsSpec } from '../support/make-dns-spec.js';
import { requireDebianBinary, startBind, type TestBind } from '../support/bind-server.js';
import {
  findSecret,
  jinjaPayloads,
  makeMarkers,
  quotelessPipePayload,
  shellPayloads,
  TSIG_FILE_PAYLOAD,
  type Markers,
} from '../support/evaluation-payloads.js';

// The DNS playbook fed hostile record data: directly (below Forge's refusal of template
// markers), planted on the server, and through the DnsChangeRunner. Ansible must pass every
// value through as data; nothing may run, and the TSIG secret must stay out of every artifact.

let bind: TestBind;
let markers: Markers;
let dataDir: string;
let options: DnsPlaybookOptions;
let runner: DnsChangeRunner;
const logs: string[] = [];

beforeAll(async () => {
  requireDebianBinary('ansible-playbook');
  bind = await startBind();
  markers = makeMarkers();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-noeval-dns-'));
  options = {
    target: { host: bind.host, port: bind.port, tsig: bind.tsig },
    bin: 'ansible-playbook',
    playbook: locatePlaybook('dns', 'dns-record.yml'),
    timeoutMs: 120_000,
    onLog: (l) => logs.push(l),
    // $HOME is where the quoteless payload writes its marker.
    env: { ...process.env, HOME: markers.dir },
  };
  runner = new DnsChangeRunner({ target: options.target, onLog: (l) => logs.push(l), env: options.env });
});
afterAll(async () => {
  await bind?.stop();
  markers?.remove();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const ws = () => new StackWorkspace(dataDir, 'dns-local');
const txt = (name: string, value: string): DnsRecord => ({
  zone: 'local',
  name,
  fqdn: `${name}.local.`,
  type: 'TXT',
  value,
  ttl: 300,
});
const txtOnServer = async (name: string) => (await bind.dig([`${name}.local`, 'TXT', '+short'])).trim();

/** Each payload once, packed into as few TXT values (≤ 255 characters) as hold them all. */
function packPayloads(cases: Record<string, string>): Array<{ labels: string[]; value: string }> {
  const packs: Array<{ labels: string[]; value: string }> = [];
  for (const [label, payload] of Object.entries(cases).sort((a, b) => b[1].length - a[1].length)) {
    if (payload.length > 255) throw new Error(`payload "${label}" alone is longer than a TXT string`);
    const fit = packs.find((p) => p.value.length + 1 + payload.length <= 255);
    if (fit) {
      fit.labels.push(label);
      fit.value = `${fit.value} ${payload}`;
    } else packs.push({ labels: [label], value: payload });
  }
  return packs;
}

describe('playbooks/dns never evaluates record data', { timeout: 240_000 }, () => {
  // Every payload travels whole inside a value: one evaluated would run its command (a marker
  // file) or change the value's text (the exact comparison below). Packing them saves an
  // ansible-playbook start (seconds of CPU) per payload.
  const packs = () =>
    packPayloads({
      ...jinjaPayloads(markers.path('jinja')),
      'quoteless pipe lookup': quotelessPipePayload('quoteless'),
      'file lookup of the TSIG key': TSIG_FILE_PAYLOAD,
      ...shellPayloads(markers.path('shell')),
    });

  it('packs all nine payloads whole', () => {
    const all = packs();
    expect(all.flatMap((p) => p.labels)).toHaveLength(9);
    for (const p of all) expect(p.value.length).toBeLessThanOrEqual(255);
    expect(all.map((p) => p.value).join(' ')).toContain(TSIG_FILE_PAYLOAD);
  });

  it('plans (--check) a TXT value holding template and shell payloads without running them', async () => {
    const all = packs();
    const runs = [];
    for (const [i, { value }] of all.entries()) {
      runs.push(
        await runDnsPlaybook(options, ws(), {
          name: `check-${i}`,
          record: txt(`check${i}`, value),
          action: 'add',
          check: true,
        }),
      );
    }
    expect(markers.created()).toEqual([]);
    for (const [i, { labels, value }] of all.entries()) {
      const label = labels.join(', ');
      expect(runs[i]?.exitCode, `${label}: ${runs[i]?.error}`).toBe(0);
      expect(runs[i]?.query?.desired, label).toEqual([{ ttl: 300, rdata: JSON.stringify(value) }]);
    }
  });

  it('applies such a TXT value as literal text: dig returns exactly the payload', async () => {
    const all = packs();
    const runs = [];
    for (const [i, { value }] of all.entries()) {
      runs.push(
        await runDnsPlaybook(options, ws(), {
          name: `apply-${i}`,
          record: txt(`apply${i}`, value),
          action: 'add',
          check: false,
        }),
      );
    }
    expect(markers.created()).toEqual([]);
    for (const [i, { labels, value }] of all.entries()) {
      const label = labels.join(', ');
      expect(runs[i]?.exitCode, `${label}: ${runs[i]?.error}`).toBe(0);
      expect(await txtOnServer(`apply${i}`), label).toBe(JSON.stringify(value));
    }
  });

  it('replaces records planted on the server (plan, then apply with them as dns_expect) without evaluating them', async () => {
    const planted = `{{ lookup('pipe', 'touch ${markers.path('planted')}') }}`;
    await bind.nsupdate([
      `update add planted.local. 300 IN TXT ${JSON.stringify(planted)}`,
      `update add planted.local. 300 IN TXT ${JSON.stringify(TSIG_FILE_PAYLOAD)}`,
    ]);
    const spec = makeDnsSpec({ name: 'planted', type: 'TXT', value: 'clean' });
    const built = await runner.plan(spec, ws(), { name: 'p-planted' });
    expect(built.summary.update).toBe(1);
    expect(JSON.stringify(JSON.parse(readFileSync(built.planFile.path, 'utf8')))).toContain("lookup('pipe'");
    const applied = await runner.apply(spec, ws(), built.planFile.path).catch((e: unknown) => e);
    expect(markers.created()).toEqual([]);
    expect(applied).toBeUndefined();
    expect(await txtOnServer('planted')).toBe('"clean"');
  });

  it('refuses a spec whose value carries a template marker before ansible-playbook runs', async () => {
    for (const [i, value] of [TSIG_FILE_PAYLOAD, '{% if 1 %}x{% endif %}', '{# x #}'].entries()) {
      const spec = makeDnsSpec({ name: 'marked', type: 'TXT', value });
      await expect(runner.plan(spec, ws(), { name: `p-marked-${i}` })).rejects.toThrow(
        /^the TXT value of marked\.local contains "\{[{%#]": template markers \(\{\{, \{% and \{#\) are refused/,
      );
      expect(existsSync(join(ws().dir, 'ansible', `p-marked-${i}.vars.yml`))).toBe(false);
    }
  });

  it('refuses a value that would add an nsupdate command on a new line', async () => {
    const a: DnsRecord = {
      zone: 'local',
      name: 'nl',
      fqdn: 'nl.local.',
      type: 'A',
      value: '10.0.0.1\nupdate add evil.local. 300 IN A 10.6.6.6',
      ttl: 300,
    };
    const r = await runDnsPlaybook(options, ws(), { name: 'newline', record: a, action: 'add', check: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.error).toMatch(/invalid record input/);
    const trailing = await runDnsPlaybook(options, ws(), {
      name: 'newline-end',
      record: { ...a, value: '10.0.0.1\n' },
      action: 'add',
      check: false,
    });
    expect(trailing.error).toMatch(/invalid record input/);
    expect(await bind.status('evil.local', 'A')).toBe('NXDOMAIN');
    expect(await bind.status('nl.local', 'A')).toBe('NXDOMAIN');
  });

  it('leaves no TSIG secret in the workspace, the vars and result files, or the logs', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(
      findSecret(bind.tsig.secret, [dataDir, markers.dir], { 'ansible-playbook output': logs.join('\n') }),
    ).toEqual([]);
  });
});
