import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkProviderRequirements,
  missingProviderMessage,
} from '../../../../src/agents/forge/provider-requirements.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('missingProviderMessage', () => {
  it('says how to fill the mirror and point the crew at it', () => {
    const text = missingProviderMessage('bpg/proxmox', '/srv/tf-mirror');
    expect(text).toContain('bpg/proxmox');
    expect(text).toContain('terraform providers mirror -platform=linux_amd64 /srv/tf-mirror');
    expect(text).toContain('CREW_TF_PLUGIN_MIRROR=/srv/tf-mirror');
  });

  it('names the first provider the mirror lacks, and nothing when all are there', () => {
    const mirror = mkdtempSync(join(tmpdir(), 'mirror-'));
    dirs.push(mirror);
    const platform = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    mkdirSync(platform, { recursive: true });
    const bin = join(platform, 'terraform-provider-aws_v5.100.0_x5');
    writeFileSync(bin, '');
    chmodSync(bin, 0o755);
    expect(checkProviderRequirements(mirror, ['hashicorp/aws'])).toBeUndefined();
    const missing = checkProviderRequirements(mirror, ['hashicorp/aws', 'bpg/proxmox']);
    expect(missing).toMatch(/^Terraform provider bpg\/proxmox is not available in the mirror/);
  });
});
