import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProviderMirror } from '../../src/agents/forge/check-provider-mirror.js';
import { mapSandboxPlan } from '../../src/agents/forge/map-sandbox-plan.js';
import { renderAws } from '../../src/agents/forge/render-aws.js';
import { renderSandbox } from '../../src/agents/forge/render-sandbox.js';
import { TerraformRunner } from '../../src/agents/forge/terraform-runner.js';
import { awsSpec } from '../support/forge-specs.js';
import { flattenValues, unknownPaths } from './flatten-values.js';
import { createTempStack, requireTerraform } from '../support/terraform-harness.js';

// Opt-in (`npm run test:provider`): needs the AWS provider in a filesystem mirror, which a
// fresh machine does not have. Without one it fails and says what to provide.
// Plans the real module with the real AWS provider (from a filesystem mirror, fake
// credentials, no API calls for a pure create) and checks that the sandbox says the same.
const MIRROR = process.env.INFRACREW_TF_MIRROR ?? '/opt/tf-plugins';
const mirror = checkProviderMirror(MIRROR, ['hashicorp/aws']);

type Change = { address: string; mode: string; change: { actions: string[]; after: unknown; after_unknown: unknown } };
type Plan = { resource_changes: Change[] };

// Offline planning: the provider must not call STS/EC2, and zones must not be looked up.
const OFFLINE = {
  provider: {
    aws: {
      access_key: 'offline',
      secret_key: 'offline',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    },
  },
  module: { ollama: { availability_zones: ['eu-west-1a', 'eu-west-1b'] } },
};

// Known, documented differences: the sandbox keeps latest_version known (1) so the ASG
// reference becomes unknown exactly when the template changes.
const ALLOWED_DIFFS = new Set(['aws_launch_template.ollama:latest_version']);

describe(`sandbox fidelity against hashicorp/aws from ${MIRROR}`, () => {
  // Both ways a plan treats the group's desired capacity: set (on-hours) and held (a plan made
  // while the weekend schedule has the group stopped: null in the module).
  it.each([false, true])(
    'plans the same addresses, actions and known values as the real provider (desired capacity held: %s)',
    async (holdDesiredCapacity) => {
      if (!mirror.ok)
        throw new Error(
          `no usable AWS provider mirror at ${MIRROR} (set INFRACREW_TF_MIRROR): ${mirror.problems.join('; ')}`,
        );
      requireTerraform();
      const real = createTempStack('forge-aws-');
      const sandbox = createTempStack('forge-sbx-');
      try {
        const spec = awsSpec();
        const nat = { natSubnetCidr: '10.42.255.0/24', holdDesiredCapacity };
        const rc = join(real.dir, 'mirror.tfrc');
        writeFileSync(
          rc,
          `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(MIRROR)}\n  }\n}\n`,
        );
        real.write({
          ...renderAws(spec, { rootDir: real.dir, ...nat }).files,
          'offline_override.tf.json': JSON.stringify(OFFLINE),
        });
        sandbox.write(renderSandbox(spec, nat).files);

        const awsTf = new TerraformRunner({
          inheritEnv: process.env,
          env: { TF_CLI_CONFIG_FILE: rc },
          timeoutMs: 120_000,
        });
        await awsTf.init(real.dir);
        await awsTf.plan(real.dir, { out: 'p.tfplan' });
        const realPlan = (await awsTf.showJson(real.dir, 'p.tfplan')) as Plan;

        const sbTf = new TerraformRunner({ inheritEnv: process.env, env: sandbox.env });
        await sbTf.init(sandbox.dir);
        await sbTf.plan(sandbox.dir, { out: 'p.tfplan' });
        const sbPlan = mapSandboxPlan(await sbTf.showJson(sandbox.dir, 'p.tfplan')) as Plan;

        const realByAddress = new Map(
          realPlan.resource_changes
            .filter((r) => r.mode === 'managed')
            .map((r) => [r.address.replace(/^module\.ollama\./, ''), r]),
        );
        expect(sbPlan.resource_changes.map((r) => r.address).sort()).toEqual([...realByAddress.keys()].sort());

        const mismatches: string[] = [];
        for (const sb of sbPlan.resource_changes) {
          const r = realByAddress.get(sb.address)!;
          expect(sb.change.actions).toEqual(r.change.actions);
          const realValues = flattenValues(r.change.after);
          const realUnknown = unknownPaths(r.change.after_unknown);
          const isRealUnknown = (path: string) =>
            realUnknown.some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`));
          for (const [path, value] of Object.entries(flattenValues(sb.change.after))) {
            if (ALLOWED_DIFFS.has(`${sb.address}:${path}`) || isRealUnknown(path)) continue;
            if (!(path in realValues) || realValues[path] !== value)
              mismatches.push(
                `${sb.address} ${path}: sandbox ${JSON.stringify(value)} real ${JSON.stringify(realValues[path])}`,
              );
          }
          for (const path of unknownPaths(sb.change.after_unknown)) {
            if (!isRealUnknown(path)) mismatches.push(`${sb.address} ${path}: unknown in the sandbox only`);
          }
        }
        expect(mismatches).toEqual([]);
      } finally {
        real.cleanup();
        sandbox.cleanup();
      }
    },
  );
});
