import { describe, expect, it } from 'vitest';
import { readDnsTarget } from '../../../src/config/read-dns-settings.js';
import { resourceName, unquoteTxt } from '../../../src/agents/forge/render-dns-plan-json.js';
import { failureMessage } from '../../../src/agents/forge/run-dns-playbook.js';
import { normalizeDnsRecord } from '../../../src/agents/forge/normalize-dns-record.js';
import { redactText } from '../../../src/log/redact-text.js';

const SECRET = 'c2VjcmV0LWZvci10ZXN0cy1vbmx5LTEyMzQ1Njc4OTA=';

describe('readDnsTarget', () => {
  it('is undefined without CREW_DNS_SERVER', () => {
    expect(readDnsTarget({})).toBeUndefined();
  });

  it('reads host:port and the TSIG key, defaulting the algorithm and registering the secret for redaction', () => {
    const t = readDnsTarget({
      CREW_DNS_SERVER: 'ns1.example.com:5353',
      CREW_DNS_TSIG_NAME: 'crew-key',
      CREW_DNS_TSIG_SECRET: SECRET,
    });
    expect(t).toEqual({
      host: 'ns1.example.com',
      port: 5353,
      tsig: { name: 'crew-key', algorithm: 'hmac-sha256', secret: SECRET },
    });
    expect(Object.isFrozen(t)).toBe(true);
    expect(redactText(`secret ${SECRET} here`)).not.toContain(SECRET);
  });

  it('takes port 53 by default and bracketed or bare IPv6 addresses', () => {
    expect(readDnsTarget({ CREW_DNS_SERVER: '10.0.0.53' })).toEqual({ host: '10.0.0.53', port: 53 });
    expect(readDnsTarget({ CREW_DNS_SERVER: '[::1]:5300' })).toEqual({ host: '::1', port: 5300 });
    expect(readDnsTarget({ CREW_DNS_SERVER: 'fd00::53' })).toEqual({ host: 'fd00::53', port: 53 });
  });

  it('refuses bad configuration with a message naming the variable', () => {
    expect(() => readDnsTarget({ CREW_DNS_SERVER: 'ns1:99999' })).toThrow(/CREW_DNS_SERVER.*port/);
    expect(() => readDnsTarget({ CREW_DNS_SERVER: 'ns1; rm -rf /' })).toThrow(/CREW_DNS_SERVER/);
    expect(() => readDnsTarget({ CREW_DNS_SERVER: 'ns1', CREW_DNS_TSIG_SECRET: SECRET })).toThrow(
      /CREW_DNS_TSIG_NAME and CREW_DNS_TSIG_SECRET/,
    );
    expect(() =>
      readDnsTarget({ CREW_DNS_SERVER: 'ns1', CREW_DNS_TSIG_NAME: 'k', CREW_DNS_TSIG_SECRET: 'not base64!' }),
    ).toThrow(/not base64/);
    expect(() =>
      readDnsTarget({ CREW_DNS_SERVER: 'ns1', CREW_DNS_TSIG_NAME: 'k"; };', CREW_DNS_TSIG_SECRET: SECRET }),
    ).toThrow(/CREW_DNS_TSIG_NAME/);
    expect(() =>
      readDnsTarget({
        CREW_DNS_SERVER: 'ns1',
        CREW_DNS_TSIG_NAME: 'k',
        CREW_DNS_TSIG_SECRET: SECRET,
        CREW_DNS_TSIG_ALGORITHM: 'rot13',
      }),
    ).toThrow(/hmac-sha256/);
  });
});

describe('DNS plan helpers', () => {
  it('normalizes records the way dig prints them and refuses values that are not of the type', () => {
    const base = { zone: 'Local.', name: 'Six', ttl: 300, action: 'add' as const };
    expect(normalizeDnsRecord({ ...base, type: 'AAAA', value: '2001:DB8:0:0::1' })).toMatchObject({
      zone: 'local',
      name: 'six',
      fqdn: 'six.local.',
      value: '2001:db8::1',
    });
    expect(normalizeDnsRecord({ ...base, name: '@', type: 'A', value: '10.0.0.1' }).fqdn).toBe('local.');
    expect(() => normalizeDnsRecord({ ...base, type: 'A', value: '10.0.0.1\nsend' })).toThrow(/IPv4/);
    expect(() => normalizeDnsRecord({ ...base, type: 'TXT', value: 'line\nupdate delete local.' })).toThrow(
      /printable/,
    );
    expect(() => normalizeDnsRecord({ ...base, name: '@', type: 'CNAME', value: 'x.local' })).toThrow(/apex/);
  });

  it('reads TXT text back from dig form and names resources like Terraform would', () => {
    expect(unquoteTxt('"v=spf1 \\"q\\" \\\\ -all"')).toBe('v=spf1 "q" \\ -all');
    expect(unquoteTxt('"abc" "def"')).toBe('abcdef');
    expect(unquoteTxt('"caf\\195\\169"')).toBe('caf\u00c3\u00a9');
    expect([resourceName('@'), resourceName('*.apps'), resourceName('1www')]).toEqual([
      'apex',
      'wildcard_apps',
      '_1www',
    ]);
  });

  it("takes the failed task's message from ansible output", () => {
    const tail =
      'TASK [x] ***\nfatal: [localhost]: FAILED! => {"changed": false, "msg": "stale plan: test.local. A moved"}\nPLAY RECAP';
    expect(failureMessage(tail)).toBe('stale plan: test.local. A moved');
  });
});
