import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installRootConfig, renderTargetConfig } from '../../../../src/agents/forge/prepare-terraform-target.js';
import { decodeRootConfig, encodeRootConfig } from '../../../../src/agents/forge/root-config-artifact.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { sha256Hex } from '../../../../src/util/new-id.js';
import { awsSpec } from '../../../support/forge-specs.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(): StackWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'root-config-'));
  dirs.push(dir);
  return new StackWorkspace(dir, 'ollama-dev');
}

describe('the rendered root config as an artifact', () => {
  it('encodes equal configs to equal bytes (file order does not matter) and decodes them back', () => {
    const a = encodeRootConfig({ 'main.tf.json': '{}', 'backend.tf.json': '{"terraform":{}}' });
    const b = encodeRootConfig({ 'backend.tf.json': '{"terraform":{}}', 'main.tf.json': '{}' });
    expect(sha256Hex(a)).toBe(sha256Hex(b));
    expect(decodeRootConfig(a, sha256Hex(a))).toEqual({ 'main.tf.json': '{}', 'backend.tf.json': '{"terraform":{}}' });
  });

  it.each([
    ['not JSON', 'main.tf.json', /is not JSON/],
    ['no files', '{"files":{}}', /holds no files/],
    ['a path', '{"files":{"../main.tf":"x"}}', /"..\/main.tf" is not a Terraform file name/],
    ['another kind of file', '{"files":{"terraform.tfstate":"x"}}', /is not a Terraform file name/],
    ['a number for text', '{"files":{"main.tf":1}}', /main.tf is not text/],
  ])('refuses %s', (_, text, why) => {
    const bytes = Buffer.from(text);
    expect(() => decodeRootConfig(bytes, sha256Hex(bytes))).toThrow(why);
  });

  it('is written into the workspace as stored, not as this host would render it now', async () => {
    const ws = workspace();
    const spec = awsSpec();
    // Planned on a weekday; this host's clock says the weekend schedule holds the group stopped.
    const stored = renderTargetConfig(spec, ws, undefined, { holdDesiredCapacity: false });
    const here = renderTargetConfig(spec, ws, undefined, { holdDesiredCapacity: true });
    expect(here).not.toEqual(stored);
    await ws.writeConfig({ ...here, 'leftover.tf': '# an older file' });
    mkdirSync(ws.plansDir, { recursive: true });
    writeFileSync(join(ws.plansDir, 'kept.tfplan'), 'plan');

    expect(await installRootConfig(spec, ws, stored)).toBe(true); // another config was there: init again
    expect(await ws.readConfig()).toEqual(stored);
    expect(await installRootConfig(spec, ws, stored)).toBe(false); // already in place
  });
});
