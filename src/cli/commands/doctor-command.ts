import type { Command } from 'commander';
import type { CrewConfig } from '../../config/read-config.js';
import { errorMessage } from '../../errors.js';
import { readConfigWithSecrets } from '../../secrets/read-config-with-secrets.js';
import { EXIT } from '../cli-io.js';
import type { DoctorBackend, DoctorCheck, DoctorSettings } from '../doctor/doctor-types.js';
import { requiredProviders } from '../../agents/forge/check-provider-mirror.js';
import { runAction } from '../run-action.js';
import { join } from 'node:path';

const TARGETS = ['sandbox', 'aws', 'proxmox', 'dns'] as const;

function backendOf(config: Readonly<CrewConfig>): DoctorBackend {
  const t = config.terraform;
  if (t.backend === 's3' && t.s3)
    return {
      kind: 's3',
      bucket: t.s3.bucket,
      region: t.s3.region,
      ...(t.s3.endpoint ? { endpoint: t.s3.endpoint } : {}),
    };
  if (t.backend === 'pg' && t.pg) return { kind: 'pg', connection: t.pg.connStr };
  return { kind: 'local', dir: join(config.dataDir, 'stacks') };
}

export function doctorSettings(config: Readonly<CrewConfig>, target: CrewConfig['target']): DoctorSettings {
  const t = config.terraform;
  return {
    terraformBin: config.terraformBin,
    target,
    providers: requiredProviders(target),
    ...(t.pluginMirror ? { pluginMirror: t.pluginMirror } : {}),
    ...(t.cliConfigFile ? { cliConfigFile: t.cliConfigFile } : {}),
    backend: backendOf(config),
    aws: config.aws.client,
    proxmox: {
      ...(config.proxmox.endpoint ? { endpoint: config.proxmox.endpoint } : {}),
      hasApiToken: config.proxmox.apiToken !== undefined,
      ansiblePlaybookBin: config.proxmox.ansiblePlaybookBin,
      ...(config.proxmox.sshKeyFile ? { sshKeyFile: config.proxmox.sshKeyFile } : {}),
    },
    env: { ...config.inheritedEnv },
  };
}

/** `crew doctor`: can this machine plan and apply on the target? Says exactly what is missing. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check terraform, the provider mirror, the state backend and the credentials for a target (exit 0 ready, 1 not)',
    )
    .option('--target <target>', `the target to check (default: CREW_TARGET): ${TARGETS.join(', ')}`)
    .option('--json', 'print the checks as JSON')
    .action((opts: { target?: string; json?: boolean }) =>
      runAction(async (io) => {
        const { renderDoctor, runDoctor } = await import('../doctor/run-doctor.js');
        let checks: DoctorCheck[];
        try {
          const config = await readConfigWithSecrets();
          const target = (opts.target ?? config.target) as CrewConfig['target'];
          if (!(TARGETS as readonly string[]).includes(target))
            throw new Error(`--target ${target} is not one of ${TARGETS.join(', ')}`);
          checks = await runDoctor(doctorSettings(config, target));
        } catch (err) {
          checks = [
            { name: 'configuration', status: 'fail', detail: errorMessage(err), fix: 'fix the setting named above' },
          ];
        }
        io.out(opts.json ? JSON.stringify(checks, null, 2) : renderDoctor(checks));
        return checks.some((c) => c.status === 'fail') ? EXIT.ERROR : EXIT.OK;
      }),
    );
}
