import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateModule } from '../../../../src/agents/forge/locate-module.js';
import { renderAws } from '../../../../src/agents/forge/render-aws.js';
import { awsSpec } from '../../../support/forge-specs.js';

type Root = {
  terraform: { required_providers: Record<string, { source: string }> };
  provider: { aws: { region: string } };
  module: { ollama: Record<string, unknown> & { source: string } };
  output: Record<string, { value: string }>;
};

/** Variables the module declares, and which of them have no default. */
function moduleVariables(): { all: string[]; required: string[] } {
  const dir = locateModule('aws-spot-ollama');
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const blocks = [...text.matchAll(/^variable "([a-z0-9_]+)" \{([\s\S]*?)^\}/gm)];
  return {
    all: blocks.map((b) => b[1]!),
    required: blocks.filter((b) => !/^\s+default\s+=/m.test(b[2]!)).map((b) => b[1]!),
  };
}

const parse = (files: Record<string, string>) => JSON.parse(files['main.tf.json'] ?? '{}') as Root;

describe('renderAws', () => {
  it('calls the module with every required variable and only declared ones', () => {
    const root = parse(renderAws(awsSpec()).files);
    const { all, required } = moduleVariables();
    const args = Object.keys(root.module.ollama).filter((k) => k !== 'source');
    expect(all).toEqual(expect.arrayContaining(args));
    expect(args).toEqual(expect.arrayContaining(required));
    expect(root.terraform.required_providers.aws?.source).toBe('hashicorp/aws');
    expect(root.provider.aws.region).toBe('eu-west-1');
  });

  it('passes the spec parameters, with the schedule as cron in its time zone', () => {
    const m = parse(renderAws(awsSpec()).files).module.ollama;
    expect(m).toMatchObject({
      name: 'ollama-dev',
      vpc_cidr: '10.42.0.0/16',
      private_subnet_cidrs: ['10.42.1.0/24', '10.42.2.0/24'],
      allowed_cidrs: ['10.42.0.0/16'],
      ollama_port: 11434,
      instance_types: ['g4dn.xlarge', 'g5.xlarge'],
      on_demand_base: 0,
      volume_gb: 100,
      model: 'llama3.1:8b',
      enable_nat_gateway: false,
      schedule: { stop_recurrence: '0 22 * * 5', start_recurrence: '0 7 * * 1', time_zone: 'Europe/Dublin' },
    });
    expect(parse(renderAws(awsSpec({ schedule: undefined })).files).module.ollama.schedule).toBeNull();
  });

  it('points the module source at the module, relative to the root dir when given', () => {
    const moduleDir = locateModule('aws-spot-ollama');
    expect(parse(renderAws(awsSpec()).files).module.ollama.source).toBe(moduleDir);
    const rootDir = resolve(moduleDir, '..', '..', 'stacks', 'ollama-dev');
    const source = parse(renderAws(awsSpec(), { rootDir }).files).module.ollama.source;
    expect(source).toBe('../../modules/aws-spot-ollama');
    expect(resolve(rootDir, source)).toBe(moduleDir);
  });

  it('exposes the module outputs', () => {
    expect(parse(renderAws(awsSpec()).files).output.autoscaling_group_name?.value).toBe(
      '${module.ollama.autoscaling_group_name}',
    );
  });
});
