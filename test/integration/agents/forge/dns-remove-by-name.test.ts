import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanSpec } from '../../../../contracts/index.js';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { DEFAULT_ATLAS_DEFAULTS } from '../../../../src/agents/atlas/default-atlas-defaults.js';
import { DnsChangeRunner } from '../../../../src/agents/forge/dns-change-runner.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { CrewError } from '../../../../src/errors.js';
import { requireDebianBinary, startBind, type TestBind } from '../../../support/bind-server.js';

let bind: TestBind;
let dataDir: string;
let runner: DnsChangeRunner;

beforeAll(async () => {
  requireDebianBinary('ansible-playbook');
  bind = await startBind();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-dns-rm-'));
  runner = new DnsChangeRunner({ env: process.env, target: { host: bind.host, port: bind.port, tsig: bind.tsig } });
});
afterAll(async () => {
  await bind?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const ws = () => new StackWorkspace(dataDir, 'dns-local');
const answer = async (name: string, type: string) =>
  (await bind.dig([name, type, '+noall', '+answer'])).trim().split('\n').filter(Boolean).sort();

/** The spec Atlas drafts for the goal: a removal by name and type, with no value. */
function specOf(goal: string): PlanSpec {
  const out = parseGoal(goal, { defaults: { ...DEFAULT_ATLAS_DEFAULTS, dnsZone: 'local' } });
  if (out.kind !== 'spec') throw new Error(`expected a spec for "${goal}": ${JSON.stringify(out)}`);
  return out.spec;
}

type Row = { address: string; change: { actions: string[]; before: unknown; after: unknown } };
const changesOf = (path: string) =>
  (JSON.parse(readFileSync(path, 'utf8')) as { resource_changes: Row[] }).resource_changes;

describe('removing a DNS record by name and type, against a real named', { timeout: 120_000 }, () => {
  it('"Delete the CNAME www.local": the plan shows the value the server holds, apply removes it', async () => {
    await bind.nsupdate(['update add www.local. 600 IN CNAME web.local.']);
    const spec = specOf('Delete the CNAME www.local');
    expect(spec.params).toEqual({ zone: 'local', name: 'www', type: 'CNAME', ttl: 300, action: 'remove' });

    const built = await runner.plan(spec, ws(), { name: 'rm-www' });
    expect(built.summary).toMatchObject({ delete: 1, create: 0, update: 0 });
    expect(built.review).toBe('Removes 1 record(s) the server holds now:\nwww.local. 600 IN CNAME web.local.');
    expect(changesOf(built.planJson.path)).toEqual([
      expect.objectContaining({
        address: 'dns_cname_record.www',
        change: expect.objectContaining({
          actions: ['delete'],
          before: { zone: 'local.', name: 'www', ttl: 600, cname: 'web.local.' },
          after: null,
        }),
      }),
    ]);
    // Planning changed nothing.
    expect(await answer('www.local', 'CNAME')).toEqual(['www.local.\t\t600\tIN\tCNAME\tweb.local.']);

    await runner.apply(spec, ws(), built.planFile.path);
    expect(await bind.status('www.local', 'CNAME')).toBe('NXDOMAIN');
  });

  it('"remove the A record for multi.local" removes the whole set and lists every address', async () => {
    await bind.nsupdate(['update add multi.local. 300 IN A 10.1.0.1', 'update add multi.local. 300 IN A 10.1.0.2']);
    const spec = specOf('remove the A record for multi.local');
    expect(spec.params).toMatchObject({ name: 'multi', type: 'A', action: 'remove' });
    expect('value' in spec.params).toBe(false);
    expect(spec.rationale.join('\n')).toContain('Remove every A record of multi.local');

    const built = await runner.plan(spec, ws(), { name: 'rm-multi' });
    expect(built.review?.split('\n')).toEqual([
      'Removes 2 record(s) the server holds now:',
      'multi.local. 300 IN A 10.1.0.1',
      'multi.local. 300 IN A 10.1.0.2',
    ]);
    await runner.apply(spec, ws(), built.planFile.path);
    expect(await answer('multi.local', 'A')).toEqual([]);
  });

  it('a name that does not exist: a clear message, nothing changed', async () => {
    const before = await answer('local', 'SOA');
    const spec = specOf('Delete the CNAME nothere.local');
    const err: unknown = await runner.plan(spec, ws(), { name: 'rm-nothere' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrewError);
    expect((err as CrewError).code).toBe('CREW_ERR_BAD_INPUT');
    expect((err as Error).message).toBe(
      `nothere.local has no CNAME record on 127.0.0.1:${bind.port} (NXDOMAIN): nothing to remove`,
    );
    // The zone's serial did not move: no update was sent.
    expect(await answer('local', 'SOA')).toEqual(before);
  });

  it('its rollback is refused clearly: the spec holds no value to put back', async () => {
    const spec = specOf('Delete the CNAME www.local');
    await expect(runner.plan(spec, ws(), { name: 'rm-undo', destroy: true })).rejects.toThrow(
      /cannot be undone from the spec, which holds no value/,
    );
  });
});
