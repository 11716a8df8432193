import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkProviderMirror,
  howToMirror,
  requiredProviders,
  requireProviderMirror,
} from '../../../../src/agents/forge/check-provider-mirror.js';
import { CrewError } from '../../../../src/errors.js';

let mirror: string;

function fakeProvider(path: string[], file: string, mode = 0o755): void {
  const dir = join(mirror, ...path);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), '#!/bin/sh\n');
  chmodSync(join(dir, file), mode);
}

beforeEach(() => {
  mirror = mkdtempSync(join(tmpdir(), 'mirror-'));
});

afterEach(() => {
  rmSync(mirror, { recursive: true, force: true });
});

describe('checkProviderMirror', () => {
  it('accepts the unpacked layout and the packed zip layout', () => {
    fakeProvider(
      ['registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64'],
      'terraform-provider-aws_v5.100.0_x5',
    );
    fakeProvider(
      ['registry.terraform.io', 'bpg', 'proxmox'],
      'terraform-provider-proxmox_0.66.3_linux_amd64.zip',
      0o644,
    );
    expect(checkProviderMirror(mirror, ['hashicorp/aws', 'registry.terraform.io/bpg/proxmox'], 'linux_amd64')).toEqual({
      ok: true,
      problems: [],
    });
  });

  it('names what is missing or broken', () => {
    fakeProvider(
      ['registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64'],
      'terraform-provider-aws_v5.100.0_x5',
      0o644,
    );
    mkdirSync(join(mirror, 'registry.terraform.io', 'bpg', 'proxmox', '0.66.3', 'darwin_arm64'), { recursive: true });
    const result = checkProviderMirror(
      mirror,
      ['hashicorp/aws', 'bpg/proxmox', 'hashicorp/random', 'nonsense'],
      'linux_amd64',
    );
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.stringMatching(/hashicorp\/aws 5\.100\.0: terraform-provider-aws_v5\.100\.0_x5 is not executable/),
      expect.stringMatching(/bpg\/proxmox 0\.66\.3: missing linux_amd64\/ directory/),
      expect.stringMatching(/hashicorp\/random: missing .*registry\.terraform\.io\/hashicorp\/random/),
      expect.stringMatching(/nonsense: expected namespace\/type/),
    ]);
  });

  it('reports a missing mirror directory', () => {
    expect(checkProviderMirror(join(mirror, 'nope'), ['hashicorp/aws'])).toEqual({
      ok: false,
      problems: [expect.stringMatching(/does not exist/)],
    });
  });
});

describe('requireProviderMirror', () => {
  it('says which provider is missing, the setting, and how to fill the mirror', () => {
    const dir = mkdtempSync(join(tmpdir(), 'empty-mirror-'));
    try {
      let message = '';
      try {
        requireProviderMirror(dir, 'aws', 'linux_amd64');
      } catch (err) {
        expect(err).toBeInstanceOf(CrewError);
        expect((err as CrewError).code).toBe('CREW_ERR_CONFIG');
        message = (err as CrewError).message;
      }
      expect(message).toContain(`CREW_TF_PLUGIN_MIRROR=${dir}`);
      expect(message).toContain('hashicorp/aws');
      expect(message).toContain(`terraform providers mirror -platform=linux_amd64 ${dir}`);
      expect(() => requireProviderMirror(dir, 'sandbox')).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names only the provider the mirror lacks, and says how to mirror it and point the crew at it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-only-mirror-'));
    try {
      const platform = join(dir, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
      mkdirSync(platform, { recursive: true });
      writeFileSync(join(platform, 'terraform-provider-aws_v5.100.0_x5'), '', { mode: 0o755 });
      expect(() => requireProviderMirror(dir, 'aws', 'linux_amd64')).not.toThrow();
      expect(() => requireProviderMirror(dir, 'proxmox', 'linux_amd64')).toThrow(
        new RegExp(
          `^Terraform provider bpg/proxmox is not available in the mirror CREW_TF_PLUGIN_MIRROR=${dir}, so the proxmox target cannot plan .*` +
            `run \\\`terraform providers mirror -platform=linux_amd64 ${dir}\\\`, copy ${dir} to this machine and set CREW_TF_PLUGIN_MIRROR=${dir}\\.$`,
        ),
      );
      expect(howToMirror(['bpg/proxmox'])).toContain('a config that requires bpg/proxmox');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists the providers each target needs', () => {
    expect(requiredProviders('aws')).toEqual(['hashicorp/aws']);
    expect(requiredProviders('proxmox')).toEqual(['bpg/proxmox']);
    expect(requiredProviders('sandbox')).toEqual([]);
  });
});
