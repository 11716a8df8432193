import { describe, expect, it } from 'vitest';
import { readTerraformJsonUi } from '../../../../src/agents/forge/read-terraform-json-ui.js';

const line = (m: object) => JSON.stringify({ '@level': 'info', '@module': 'terraform.ui', ...m });

describe('readTerraformJsonUi', () => {
  it('gives the human lines, the error diagnostics as the plain UI prints them, and the outputs', () => {
    const stdout = [
      line({ '@message': 'Terraform 1.11.4', type: 'version' }),
      line({
        '@level': 'warn',
        '@message': 'Warning: Deprecated attribute',
        type: 'diagnostic',
        diagnostic: { severity: 'warning', summary: 'Deprecated attribute', detail: 'Use the other one.' },
      }),
      line({
        '@level': 'error',
        '@message': 'Error: Error acquiring the state lock',
        type: 'diagnostic',
        diagnostic: { severity: 'error', summary: 'Error acquiring the state lock', detail: 'Lock Info:\n  ID: 42' },
      }),
      line({ '@message': 'Outputs: 1', type: 'outputs', outputs: { ip: { sensitive: false, value: '10.0.0.1' } } }),
      'plain text from a wrapper',
      '',
    ].join('\n');
    const ui = readTerraformJsonUi(stdout);
    expect(ui.logLines).toEqual([
      'Terraform 1.11.4',
      'Warning: Deprecated attribute',
      'Use the other one.',
      'Error: Error acquiring the state lock',
      'Lock Info:',
      '  ID: 42',
      'Outputs: 1',
      'plain text from a wrapper',
    ]);
    // Warnings are not errors.
    expect(ui.errors).toBe('Error: Error acquiring the state lock\n\nLock Info:\n  ID: 42');
    expect(ui.outputs).toEqual({ ip: { sensitive: false, value: '10.0.0.1' } });
  });

  it('has no outputs when the command printed none, and keeps lines that only look like JSON', () => {
    const ui = readTerraformJsonUi('{not json\n[1,2]\n');
    expect(ui.outputs).toBeUndefined();
    expect(ui.errors).toBe('');
    expect(ui.logLines).toEqual(['{not json', '[1,2]']);
  });
});
