import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanSpec } from '../../contracts/index.js';
import { StackWorkspace } from '../../src/agents/forge/stack-workspace.js';
import { TerraformChangeRunner } from '../../src/agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../../src/agents/forge/terraform-runner.js';
import {
  findSecret,
  jinjaPayloads,
  makeMarkers,
  shellPayloads,
  terraformPayloads,
  type Markers,
} from '../support/evaluation-payloads.js';
import { awsSpec, proxmoxSpec } from '../support/forge-specs.js';
import { requireTerraform } from '../support/terraform-harness.js';

// Forge's Terraform path (sandbox root config → init → plan → show → apply → outputs) with
// payloads planted in every free-text parameter, past the PlanSpec schema that would refuse
// them: Terraform must plan them as literal strings, read no file and run nothing.

const SECRET = `planted-secret-${Math.random().toString(36).slice(2)}`;
let dir: string;
let secretFile: string;
let markers: Markers;
let runner: TerraformChangeRunner;
const logs: string[] = [];

beforeAll(() => {
  requireTerraform();
  dir = mkdtempSync(join(tmpdir(), 'crew-noeval-tf-'));
  secretFile = join(dir, 'secret.txt');
  writeFileSync(secretFile, SECRET);
  writeFileSync(join(dir, '.terraformrc'), '');
  markers = makeMarkers();
  const tf = new TerraformRunner({
    inheritEnv: process.env,
    env: { TF_CLI_CONFIG_FILE: join(dir, '.terraformrc') },
    timeoutMs: 120_000,
    onLog: (l) => logs.push(l),
  });
  runner = new TerraformChangeRunner(tf);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  markers?.remove();
});

const payloads = (): string[] => [
  ...Object.values(terraformPayloads(secretFile)),
  ...Object.values(shellPayloads(markers.path('shell'))),
  ...Object.values(jinjaPayloads(markers.path('jinja'))),
];

/** Every string value anywhere in a plan JSON document. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}

async function planAndApply(spec: PlanSpec, name: string): Promise<string[]> {
  const ws = new StackWorkspace(join(dir, 'data'), spec.stack);
  const built = await runner.plan(spec, ws, { name });
  expect(built.changes).toBe(true);
  const planJson = JSON.parse(readFileSync(built.planJson.path, 'utf8')) as unknown;
  await runner.apply(spec, ws, built.planFile.path);
  const outputs = await runner.outputs(spec, ws);
  return [...stringsIn(planJson), ...stringsIn(outputs)];
}

describe('Terraform never evaluates a planted value', { timeout: 240_000 }, () => {
  it('plans and applies aws-spot-ollama with payloads in instance types and the time zone as literal text', async () => {
    const all = payloads();
    const spec = awsSpec({
      instanceTypes: all,
      schedule: { stop: { day: 'FRI', time: '22:00' }, start: { day: 'MON', time: '07:00' }, timezone: all[0] ?? '' },
    });
    const seen = await planAndApply(spec, 'aws-payloads');
    expect(markers.created()).toEqual([]);
    for (const p of all) expect(seen, p).toContain(p);
  });

  it('plans and applies proxmox-k3s with payloads in node and bridge as literal text (the template only as an id)', async () => {
    const [tf = '', directive = '', shell = ''] = payloads();
    const seen = await planAndApply(proxmoxSpec({ node: tf, network: directive, vmTemplate: shell }), 'k3s-payloads');
    expect(markers.created()).toEqual([]);
    for (const p of [tf, directive]) expect(seen, p).toContain(p);
    expect(seen).not.toContain(shell);
  });

  it('refuses a model that would be code in the instances boot script before writing any config', async () => {
    const ws = new StackWorkspace(join(dir, 'data'), 'ollama-model');
    for (const model of Object.values(shellPayloads(markers.path('boot')))) {
      await expect(runner.plan(awsSpec({ model }), ws, { name: 'model' })).rejects.toThrow(/is not a model name/);
    }
    expect(markers.created()).toEqual([]);
  });

  it('leaves the planted secret out of every config, plan, plan JSON, state and log', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(findSecret(SECRET, [join(dir, 'data'), markers.dir], { 'terraform output': logs.join('\n') })).toEqual([]);
  });
});
