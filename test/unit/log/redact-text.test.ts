import { describe, expect, it } from 'vitest';
import { redactText } from '../../../src/log/redact-text.js';
import { secretShapes } from '../../support/secret-shapes.js';

describe('redactText', () => {
  it('masks the value after a secret’s name and keeps the name and what surrounds it', () => {
    const aws = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(redactText(`export aws_secret_access_key = "${aws}"; next`)).toBe(
      'export aws_secret_access_key = "[redacted]"; next',
    );
    expect(redactText('AWS secret access key is ' + aws)).toBe('AWS secret access key is [redacted]');
    expect(redactText('Authorization: Bearer abcdefgh12345678 rest')).toBe('Authorization: Bearer [redacted] rest');
    expect(redactText('{"x-api-key": "k3y-value-123"}')).toBe('{"x-api-key": "[redacted]"}');
    expect(redactText('use api-key abcdefghij12345 now')).toBe('use api-key [redacted] now');
    expect(redactText('db password=hunter2hunter2 and K3S_TOKEN: "K10abc::server:xyz"')).toBe(
      'db password=[redacted] and K3S_TOKEN: "[redacted]"',
    );
    // Words that only look like the names stay: no value with a digit after "api key", no 40 characters.
    expect(redactText('plan the api-key rotation for aws secret access key storage')).toBe(
      'plan the api-key rotation for aws secret access key storage',
    );
  });

  it('masks every shape inside a large Terraform plan JSON, and leaves the rest of it as it was', () => {
    const shapes = secretShapes();
    const filler = JSON.stringify({
      resource_changes: Array.from({ length: 400 }, (_, i) => ({
        address: `terraform_data.r${i}`,
        change: { after: { sha: 'f'.repeat(64), note: `value ${i} of ${'x'.repeat(40)}` } },
      })),
    });
    const text = shapes.map((s, i) => `${filler.slice(i * 50, i * 50 + 2_000)} ${s.text} `).join('');
    const out = redactText(text);
    for (const s of shapes) expect(out, s.label).not.toContain(s.secret);
    expect(redactText(filler)).toBe(filler);
  });
});
