import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlanObject } from '../../../../src/agents/sentinel/plan/read-plan.js';
import { StalePlanError } from '../../../../src/agents/forge/change-runner.js';
import { DnsChangeRunner } from '../../../../src/agents/forge/dns-change-runner.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { requireDebianBinary, startBind, type TestBind } from '../../../support/bind-server.js';
import { makeDnsSpec } from '../../../support/make-dns-spec.js';

let bind: TestBind;
let dataDir: string;
let runner: DnsChangeRunner;
const logs: string[] = [];

beforeAll(async () => {
  requireDebianBinary('ansible-playbook');
  bind = await startBind();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-dns-'));
  runner = new DnsChangeRunner({
    env: process.env,
    target: { host: bind.host, port: bind.port, tsig: bind.tsig },
    onLog: (l) => logs.push(l),
  });
});
afterAll(async () => {
  await bind?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const short = async (name: string, type = 'A') => (await bind.dig([name, type, '+short'])).trim();
const ws = () => new StackWorkspace(dataDir, 'dns-local');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

// Each ansible-playbook run takes one to several seconds depending on the machine's load.
describe('DnsChangeRunner against a real named', { timeout: 120_000 }, () => {
  it('plans an add without changing the server, applies it, and plans it again as a no-op', async () => {
    const spec = makeDnsSpec();
    const built = await runner.plan(spec, ws(), { name: 'p-add' });
    expect(built.changes).toBe(true);
    expect(built.summary).toEqual({ create: 1, update: 0, replace: 0, delete: 0, noop: 0 });
    expect(await bind.status('test.local', 'A')).toBe('NXDOMAIN');

    const planJson = readJson(built.planJson.path);
    const parsed = parsePlanObject(planJson);
    expect(parsed.ok).toBe(true);
    expect(planJson.resource_changes).toEqual([
      expect.objectContaining({
        address: 'dns_a_record_set.test',
        type: 'dns_a_record_set',
        change: expect.objectContaining({
          actions: ['create'],
          before: null,
          after: { zone: 'local.', name: 'test', ttl: 300, addresses: ['192.168.1.100'] },
        }),
      }),
    ]);
    expect(readJson(built.planFile.path)).toMatchObject({
      action: 'add',
      record: { fqdn: 'test.local.', type: 'A', value: '192.168.1.100' },
      current: { status: 'NXDOMAIN', records: [] },
    });

    await runner.apply(spec, ws(), built.planFile.path);
    expect(await short('test.local')).toBe('192.168.1.100');
    expect(await runner.outputs(spec, ws())).toEqual({
      fqdn: 'test.local',
      type: 'A',
      value: '192.168.1.100',
      server: `127.0.0.1:${bind.port}`,
    });

    const again = await runner.plan(spec, ws(), { name: 'p-add-again' });
    expect(again.changes).toBe(false);
    expect(again.summary.noop).toBe(1);
  });

  it('plans a destroy of the add as a delete and applies it (NXDOMAIN after)', async () => {
    const spec = makeDnsSpec();
    const built = await runner.plan(spec, ws(), { name: 'p-add-rollback', destroy: true });
    expect(built.summary.delete).toBe(1);
    await runner.apply(spec, ws(), built.planFile.path);
    expect(await bind.status('test.local', 'A')).toBe('NXDOMAIN');
  });

  it('removes with a remove spec, and its destroy (the rollback of a first remove) puts the record back', async () => {
    await bind.nsupdate(['update add web.local. 600 IN A 10.0.0.2']);
    const remove = makeDnsSpec({ name: 'web', value: '10.0.0.2', ttl: 600, action: 'remove' });
    const built = await runner.plan(remove, ws(), { name: 'p-web' });
    expect(built.summary).toMatchObject({ delete: 1, create: 0 });
    await runner.apply(remove, ws(), built.planFile.path);
    expect(await short('web.local')).toBe('');
    const undo = await runner.plan(remove, ws(), { name: 'p-web-rollback', destroy: true });
    expect(undo.summary.create).toBe(1);
    await runner.apply(remove, ws(), undo.planFile.path);
    expect(await bind.dig(['web.local', 'A', '+noall', '+answer'])).toMatch(
      /web\.local\.\s+600\s+IN\s+A\s+10\.0\.0\.2/,
    );
  });

  it('refuses a stale plan (the record moved behind its back); the re-plan is an update', async () => {
    const spec = makeDnsSpec({ name: 'race', value: '10.9.0.1' });
    const built = await runner.plan(spec, ws(), { name: 'p-race' });
    await bind.nsupdate(['update add race.local. 300 IN A 10.9.0.99']);
    const err: unknown = await runner.apply(spec, ws(), built.planFile.path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StalePlanError);
    expect((err as Error).message).toContain('it holds 300 10.9.0.99, the plan saw nothing');
    expect(await short('race.local')).toBe('10.9.0.99');
    const again = await runner.plan(spec, ws(), { name: 'p-race-recheck' });
    expect(again.summary.update).toBe(1);
    const change = (
      readJson(again.planJson.path).resource_changes as Array<{ change: { before: unknown; after: unknown } }>
    )[0]?.change;
    expect(change).toMatchObject({ before: { addresses: ['10.9.0.99'] }, after: { addresses: ['10.9.0.1'] } });
  });

  it('applies a TXT value with quotes and backslashes and plans it again as a no-op', async () => {
    const spec = makeDnsSpec({ name: 'txt', type: 'TXT', value: 'v=spf1 "quoted" \\ -all' });
    const built = await runner.plan(spec, ws(), { name: 'p-txt' });
    expect(built.summary.create).toBe(1);
    await runner.apply(spec, ws(), built.planFile.path);
    expect(await short('txt.local', 'TXT')).toBe('"v=spf1 \\"quoted\\" \\\\ -all"');
    const again = await runner.plan(spec, ws(), { name: 'p-txt-again' });
    expect(again.changes).toBe(false);
    expect(JSON.stringify(readJson(again.planJson.path))).toContain('"txt":["v=spf1 \\"quoted\\" \\\\ -all"]');
  });

  it('compares CNAME targets case-insensitively and IPv6 addresses in canonical form', async () => {
    await bind.nsupdate([
      'update add alias.local. 300 IN CNAME TEST.local.',
      'update add six.local. 300 IN AAAA 2001:db8::1',
    ]);
    const cname = await runner.plan(makeDnsSpec({ name: 'alias', type: 'CNAME', value: 'Test.Local' }), ws(), {
      name: 'p-cname',
    });
    const aaaa = await runner.plan(makeDnsSpec({ name: 'six', type: 'AAAA', value: '2001:DB8:0:0::1' }), ws(), {
      name: 'p-aaaa',
    });
    expect([cname.changes, aaaa.changes]).toEqual([false, false]);
  });

  it('refuses a tampered plan file and reports a wrong key clearly', async () => {
    const spec = makeDnsSpec({ name: 'tamper' });
    const built = await runner.plan(spec, ws(), { name: 'p-tamper' });
    const doc = readJson(built.planFile.path);
    writeFileSync(built.planFile.path, JSON.stringify({ ...doc, fingerprint: '0'.repeat(64) }));
    await expect(runner.apply(spec, ws(), built.planFile.path)).rejects.toThrow(/fingerprint/);

    const wrong = new DnsChangeRunner({
      env: process.env,
      target: {
        host: bind.host,
        port: bind.port,
        tsig: { ...bind.tsig, secret: Buffer.alloc(32, 7).toString('base64') },
      },
    });
    await expect(wrong.plan(spec, ws(), { name: 'p-wrong-key' })).rejects.toThrow(
      /status NOTAUTH \(the server rejected the TSIG key/,
    );
  });

  it('keeps the TSIG secret out of the workspace, the plan files and the logs', () => {
    for (const file of filesUnder(join(dataDir, 'stacks')))
      expect(readFileSync(file, 'utf8'), file).not.toContain(bind.tsig.secret);
    expect(logs.join('\n')).not.toContain(bind.tsig.secret);
    expect(logs.length).toBeGreaterThan(0);
  });
});
