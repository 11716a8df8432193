import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accessPolicyFromConfig, diffAccessRules } from '../../../src/access/access-policy.js';
import { askOpa } from '../../../src/access/authz/ask-opa.js';
import { buildAuthzInput } from '../../../src/access/authz/build-authz-input.js';
import { readConfig } from '../../../src/config/read-config.js';
import { parseAccessPolicy } from '../../../src/store/access-policy-store.js';

const dir = mkdtempSync(join(tmpdir(), 'crew-authz-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = '@id("a")\npermit (principal in Group::"approvers", action == Action::"approve", resource);\n';

describe('reading CREW_AUTHZ_POLICY, CREW_OPA_URL and CREW_AUTHZ_GROUPS', () => {
  it('reads and validates a policy file, named groups and an OPA URL', () => {
    writeFileSync(join(dir, 'good.cedar'), GOOD);
    const config = readConfig(
      { CREW_AUTHZ_POLICY: 'good.cedar', CREW_AUTHZ_GROUPS: 'Contractors: dave, erin; sre:bob' },
      dir,
    );
    expect(config.authz).toEqual({
      cedar: { text: GOOD, source: join(dir, 'good.cedar') },
      groups: { contractors: ['dave', 'erin'], sre: ['bob'] },
    });
    expect(config.accessSettings).toEqual(['CREW_AUTHZ_POLICY', 'CREW_AUTHZ_GROUPS']);
    expect(readConfig({ CREW_OPA_URL: 'http://127.0.0.1:8181/v1/data/crew/authz' }, dir).authz).toEqual({
      opaUrl: 'http://127.0.0.1:8181/v1/data/crew/authz',
    });
    expect(readConfig({}, dir).authz).toBeUndefined();
  });

  it('stops at a malformed policy or an unknown entity type, naming the lines', () => {
    writeFileSync(
      join(dir, 'bad.cedar'),
      `${GOOD}\npermit (principal in Team::"x", action, resource)\nwhen { resource.cost > 1 };\n`,
    );
    expect(() => readConfig({ CREW_AUTHZ_POLICY: 'bad.cedar' }, dir)).toThrow(
      /bad\.cedar: line 4, column 22: for policy "policy1", unrecognized entity type `Team`[^]*line 5, column 8: .*attribute `cost`/,
    );
    writeFileSync(join(dir, 'syntax.cedar'), 'permit (principal, action, resource)\nwhen { resource.target == };\n');
    expect(() => readConfig({ CREW_AUTHZ_POLICY: 'syntax.cedar' }, dir)).toThrow(
      /syntax\.cedar: line 2, column 27: .*unexpected token/,
    );
    expect(() => readConfig({ CREW_AUTHZ_POLICY: 'missing.cedar' }, dir)).toThrow('CREW_AUTHZ_POLICY: cannot read');
    writeFileSync(join(dir, 'dup.cedar'), `${GOOD}${GOOD}`);
    expect(() => readConfig({ CREW_AUTHZ_POLICY: 'dup.cedar' }, dir)).toThrow('two policies have the id "a"');
    writeFileSync(join(dir, 'empty.cedar'), '// nothing\n');
    expect(() => readConfig({ CREW_AUTHZ_POLICY: 'empty.cedar' }, dir)).toThrow('no policies');
  });

  it('refuses both engines at once, a URL that is not a Data API decision, and malformed groups', () => {
    writeFileSync(join(dir, 'good.cedar'), GOOD);
    expect(() => readConfig({ CREW_AUTHZ_POLICY: 'good.cedar', CREW_OPA_URL: 'http://o/v1/data/x' }, dir)).toThrow(
      'both set',
    );
    expect(() => readConfig({ CREW_OPA_URL: 'http://127.0.0.1:8181/' }, dir)).toThrow("not OPA's Data API URL");
    expect(() => readConfig({ CREW_OPA_URL: 'file:///v1/data/x' }, dir)).toThrow("not OPA's Data API URL");
    expect(() => readConfig({ CREW_AUTHZ_GROUPS: 'contractors' }, dir)).toThrow('is not group:member,member');
  });

  it('travels with the published rules and is named when a terminal differs', () => {
    const base = {
      approvers: ['bob'],
      allowSelfApproval: false,
      approvalTtlMs: 60_000,
      strictIdentity: false,
      identityMap: {},
    };
    const withPolicy = { ...base, authz: { cedar: { text: GOOD, source: '/etc/crew.cedar' } } };
    const p = accessPolicyFromConfig(withPolicy, { setBy: 'crew worker', source: 'operator' });
    expect(parseAccessPolicy(JSON.stringify(p)).authz).toEqual(withPolicy.authz);
    expect(() => parseAccessPolicy(JSON.stringify({ ...p, authz: { cedar: { text: 1 } } }))).toThrow('malformed');
    expect(diffAccessRules(withPolicy, base)).toEqual(['policy: Cedar /etc/crew.cedar (yours: policy: built-in)']);
    expect(
      diffAccessRules(withPolicy, { ...base, authz: { cedar: { text: `${GOOD}\n`, source: '/etc/crew.cedar' } } }),
    ).toEqual(['policy: Cedar /etc/crew.cedar: its text differs from yours']);
    expect(diffAccessRules(base, { ...base, authz: { opaUrl: 'http://o/v1/data/x' } })).toEqual([
      'policy: built-in (yours: policy: OPA at http://o/v1/data/x)',
    ]);
  });
});

describe("asking OPA's Data API", () => {
  const input = buildAuthzInput(
    { approvers: [], allowSelfApproval: false },
    { by: 'bob', action: 'unlock', stack: 'dev' },
  );
  async function standIn(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/data/crew/authz`, server };
  }
  const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

  it('reads true, {allow}, reasons; anything else is a deny', async () => {
    const answers = [
      '{"result":true}',
      '{"result":{"allow":true,"reasons":["sre",3]}}',
      '{"result":{"allow":"yes"}}',
      '{}',
      '{"result":"allow"}',
    ];
    const { url, server } = await standIn((req, res) => {
      req.resume();
      req.on('end', () => res.end(answers.shift()));
    });
    try {
      expect(await askOpa(url, input, 30_000)).toEqual({ reached: true, allowed: true, reasons: [] });
      expect(await askOpa(url, input, 30_000)).toEqual({ reached: true, allowed: true, reasons: ['sre'] });
      expect(await askOpa(url, input, 30_000)).toEqual({ reached: true, allowed: false, reasons: [] });
      expect(await askOpa(url, input, 30_000)).toEqual({ reached: true, allowed: false, reasons: [] });
      expect(await askOpa(url, input, 30_000)).toEqual({ reached: true, allowed: false, reasons: [] });
    } finally {
      await close(server);
    }
  });

  it('an HTTP error or no answer in time is not an answer (the caller denies)', async () => {
    const { url, server } = await standIn((req, res) => {
      req.resume();
      if (!slow) {
        res.statusCode = 500;
        res.end('{"code":"internal_error"}');
      }
      // slow: never answers
    });
    let slow = false;
    try {
      expect(await askOpa(url, input, 30_000)).toEqual({ reached: false, error: 'HTTP 500' });
      slow = true;
      expect(await askOpa(url, input, 200)).toEqual({ reached: false, error: 'TimeoutError' });
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });
});
