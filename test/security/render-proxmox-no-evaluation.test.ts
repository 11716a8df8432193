import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProxmox } from '../../src/agents/forge/render-proxmox.js';
import { TerraformRunner } from '../../src/agents/forge/terraform-runner.js';
import {
  findSecret,
  makeMarkers,
  shellPayloads,
  terraformPayloads,
  type Markers,
} from '../support/evaluation-payloads.js';
import { proxmoxSpec } from '../support/forge-specs.js';
import { requireTerraform } from '../support/terraform-harness.js';

// renderProxmox with payloads in every string parameter, past the PlanSpec schema that would
// refuse them. The bpg/proxmox provider is not needed to prove the rendered strings inert:
// Terraform evaluates the exact module arguments renderProxmox wrote as a root output, and the
// applied output must be the planted text itself, with no file read and nothing run.

const SECRET = `planted-secret-${Math.random().toString(36).slice(2)}`;
let dir: string;
let secretFile: string;
let markers: Markers;

beforeAll(() => {
  requireTerraform();
  dir = mkdtempSync(join(tmpdir(), 'crew-noeval-pve-'));
  secretFile = join(dir, 'secret.txt');
  writeFileSync(secretFile, SECRET);
  writeFileSync(join(dir, '.terraformrc'), '');
  markers = makeMarkers();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  markers?.remove();
});

describe('renderProxmox never lets Terraform evaluate a planted value', { timeout: 120_000 }, () => {
  it('keeps ${file(...)}, %{ for } and shell payloads in stack, template, node and bridge literal', async () => {
    const payloads = [
      ...Object.values(terraformPayloads(secretFile)),
      `%{ for l in split("\\n", file("/etc/passwd")) }\${l}%{ endfor }`,
      '${file("/etc/passwd")}',
      ...Object.values(shellPayloads(markers.path('shell'))),
    ];
    const root = join(dir, 'root');
    const stacks = payloads.map((text, i) => {
      const spec = proxmoxSpec({
        vmTemplate: text,
        node: `${text}-node`,
        network: `${text}-bridge`,
      });
      return { ...spec, stack: `${text}-stack-${i}` };
    });
    // The module arguments exactly as rendered, evaluated by Terraform as output values.
    const rendered = stacks.map((s) => JSON.parse(renderProxmox(s).files['main.tf.json'] ?? '{}'));
    const output = Object.fromEntries(
      rendered.map((r: { module: { k3s: Record<string, unknown> } }, i) => {
        const { source: _source, ...args } = r.module.k3s;
        return [`args${i}`, { value: args }];
      }),
    );
    const tf = new TerraformRunner({
      inheritEnv: process.env,
      env: { TF_CLI_CONFIG_FILE: join(dir, '.terraformrc') },
      timeoutMs: 60_000,
    });
    mkdirSync(root);
    writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ output }));
    await tf.init(root);
    await tf.plan(root, { out: 'p.tfplan' });
    await tf.apply(root, 'p.tfplan');
    const values = await tf.outputs(root);

    stacks.forEach((s, i) => {
      expect(values[`args${i}`], s.params.vmTemplate).toMatchObject({
        name: s.stack,
        vm_template: s.params.vmTemplate,
        node_name: s.params.node,
        network_bridge: s.params.network,
      });
    });
    expect(markers.created()).toEqual([]);
    expect(findSecret(SECRET, [root], { outputs: JSON.stringify(values) })).toEqual([]);
    expect(JSON.stringify(values)).not.toContain('root:x:0:0');
  });
});
