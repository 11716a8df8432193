import { describe, expect, it } from 'vitest';
import { buildTerraformEnv } from '../../../../src/agents/forge/build-terraform-env.js';
import { summarizeChanges } from '../../../../src/agents/forge/summarize-changes.js';
import { CrewError } from '../../../../src/errors.js';

const rc = (...actions: string[]) => ({ address: 'x.y', change: { actions } });

describe('summarizeChanges', () => {
  it('counts every kind of action, both replace orders as replace', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: [
        rc('create'),
        rc('create'),
        rc('update'),
        rc('delete', 'create'),
        rc('create', 'delete'),
        rc('delete'),
        rc('no-op'),
        rc('read'),
        rc('forget'),
      ],
    };
    expect(summarizeChanges(plan)).toEqual({ create: 2, update: 1, replace: 2, delete: 1, noop: 1 });
  });

  it('treats a plan without resource_changes as empty and refuses non-objects', () => {
    expect(summarizeChanges({ format_version: '1.2' })).toEqual({
      create: 0,
      update: 0,
      replace: 0,
      delete: 0,
      noop: 0,
    });
    expect(() => summarizeChanges('nope')).toThrow(CrewError);
  });
});

describe('buildTerraformEnv', () => {
  it('passes PATH, HOME and TF_* only, plus explicit additions and automation flags', () => {
    const env = buildTerraformEnv(
      { AWS_PROFILE: 'crew' },
      {
        PATH: '/bin',
        HOME: '/h',
        TF_LOG: 'WARN',
        TF_CLI_CONFIG_FILE: '/m/rc',
        SLACK_BOT_TOKEN: 'xoxb-1',
        VAULT_TOKEN: 'hvs.x',
      },
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/h',
      TF_LOG: 'WARN',
      TF_CLI_CONFIG_FILE: '/m/rc',
      AWS_PROFILE: 'crew',
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    });
  });
});
