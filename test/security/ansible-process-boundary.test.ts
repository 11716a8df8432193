import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsChangeRunner } from '../../src/agents/forge/dns-change-runner.js';
import { fingerprintRecords } from '../../src/agents/forge/dns-plan-file.js';
import { locatePlaybook } from '../../src/agents/forge/locate-playbook.js';
import { StackWorkspace } from '../../src/agents/forge/stack-workspace.js';
import { makeDnsSpec } from '../support/make-dns-spec.js';
import { FIXTURE_BIN } from '../support/terraform-harness.js';
import { findSecret, makeMarkers, shellPayloads, type Markers } from '../support/evaluation-payloads.js';

// What crosses into the ansible-playbook process, seen by a stand-in that records it: record
// data only inside the !unsafe vars file, never in argv or the environment; no secret anywhere.

const SECRET = randomBytes(32).toString('base64');
const PLANTED = {
  SLACK_BOT_TOKEN: 'xoxb-planted-token',
  VAULT_TOKEN: 'hvs.planted-vault-token',
  CREW_DNS_TSIG_SECRET: SECRET,
};
let dataDir: string;
let markers: Markers;
let runner: DnsChangeRunner;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'crew-ansible-boundary-'));
  markers = makeMarkers();
  runner = new DnsChangeRunner({
    target: { host: '127.0.0.1', port: 53, tsig: { name: 'crew', algorithm: 'hmac-sha256', secret: SECRET } },
    ansiblePlaybookBin: join(FIXTURE_BIN, 'ansible-playbook-record'),
    env: { ...process.env, ...PLANTED, HOME: markers.dir },
  });
});
afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  markers?.remove();
});

describe('the ansible-playbook process boundary', () => {
  it('gets the record only in an !unsafe vars file, never in argv or its environment, and no secret', async () => {
    const value = shellPayloads(markers.path('argv'))['command substitution'] ?? '';
    const ws = new StackWorkspace(dataDir, 'dns-local');
    await expect(
      runner.plan(makeDnsSpec({ name: 'edge', type: 'TXT', value }), ws, { name: 'p-edge' }),
    ).rejects.toThrow(/without a result/);
    const seen = join(ws.dir, 'seen');
    const varsPath = join(ws.dir, 'ansible', 'p-edge.vars.yml');

    expect(readFileSync(join(seen, 'argv'), 'utf8').split('\n').filter(Boolean)).toEqual([
      locatePlaybook('dns', 'dns-record.yml'),
      '-e',
      `@${varsPath}`,
      '--check',
      '--diff',
    ]);
    const env = Object.fromEntries(
      readFileSync(join(seen, 'env'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const names = Object.keys(env).filter(
      (k) =>
        !['PATH', 'HOME', 'LANG', 'PWD', 'SHLVL', '_', 'CREW_DNS_TSIG_KEYFILE'].includes(k) &&
        !k.startsWith('ANSIBLE_'),
    );
    expect(names).toEqual([]);
    expect(JSON.stringify(env)).not.toContain(value);

    const vars = readFileSync(varsPath, 'utf8');
    expect(vars).toContain(`dns_value: !unsafe ${JSON.stringify(value)}`);
    expect(vars.split('\n').filter((l) => /^\w+: "/.test(l))).toEqual([]);
    expect(statSync(varsPath).mode & 0o777).toBe(0o600);

    // The key file existed while the playbook ran, outside the workspace, and is gone now.
    expect(readFileSync(join(seen, 'keyfile'), 'utf8').trim()).toBe('present');
    expect(env.CREW_DNS_TSIG_KEYFILE?.startsWith(ws.dir)).toBe(false);
    expect(existsSync(env.CREW_DNS_TSIG_KEYFILE ?? '')).toBe(false);

    expect(markers.created()).toEqual([]);
    for (const secret of Object.values(PLANTED)) expect(findSecret(secret, [dataDir]), secret).toEqual([]);
  });

  it('refuses a plan file whose record carries a template marker before ansible-playbook runs', async () => {
    const ws = new StackWorkspace(dataDir, 'dns-tampered');
    mkdirSync(ws.plansDir, { recursive: true });
    const planFile = join(ws.plansDir, 'p-tampered.dnsplan.json');
    const record = {
      zone: 'local',
      name: 'edge',
      fqdn: 'edge.local.',
      type: 'TXT',
      value: "{{ lookup('pipe', 'id') }}",
      ttl: 300,
    };
    const plan = {
      kind: 'crew-dns-plan',
      version: 1,
      server: '127.0.0.1:53',
      record,
      action: 'add',
      current: { status: 'NXDOMAIN', records: [], observed: [] },
      desired: [],
      changes: true,
      fingerprint: fingerprintRecords([]),
    };
    writeFileSync(planFile, JSON.stringify(plan));
    const spec = makeDnsSpec({ name: 'edge', type: 'TXT', value: 'clean' });
    await expect(runner.apply(spec, ws, planFile)).rejects.toThrow(/the TXT value of edge\.local contains "\{\{"/);
    writeFileSync(planFile, JSON.stringify({ ...plan, record: { ...record, value: 'clean', ttl: '300' } }));
    await expect(runner.apply(spec, ws, planFile)).rejects.toThrow(/the record is not a DNS record/);
    expect(existsSync(join(ws.dir, 'seen'))).toBe(false);
  });
});
