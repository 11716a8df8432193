import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateModule, type ModuleName } from '../../../../src/agents/forge/locate-module.js';
import { renderSandbox } from '../../../../src/agents/forge/render-sandbox.js';
import { awsSpec, proxmoxSpec } from '../../../support/forge-specs.js';

/** `resource "type" "name"` declarations of a module, as `type.name`. */
function moduleResources(name: ModuleName): string[] {
  const dir = locateModule(name);
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(
      /^resource\s+"([a-z0-9_]+)"\s+"([A-Za-z0-9_-]+)"/gm,
    )) {
      found.add(`${m[1]}.${m[2]}`);
    }
  }
  return [...found].sort();
}

describe('every module resource has a sandbox rendering', () => {
  it('aws-spot-ollama (schedule and NAT enabled)', () => {
    const render = renderSandbox(awsSpec(), { natSubnetCidr: '10.42.255.0/24' });
    expect(moduleResources('aws-spot-ollama').length).toBeGreaterThan(10);
    expect(render.resources).toEqual(moduleResources('aws-spot-ollama'));
  });

  it('proxmox-k3s (servers, workers, GPU workers)', () => {
    expect(renderSandbox(proxmoxSpec()).resources).toEqual(moduleResources('proxmox-k3s'));
  });
});
