import type { ChangeRunners } from '../agents/forge/change-runner.js';
import { DnsChangeRunner } from '../agents/forge/dns-change-runner.js';
import { lazyChangeRunner } from '../agents/forge/lazy-change-runner.js';
import { TerraformChangeRunner } from '../agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../agents/forge/terraform-runner.js';
import type { AwsCredentials } from '../config/read-aws-settings.js';
import type { CrewConfig } from '../config/read-config.js';
import { CrewError, errorMessage } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import type { ScheduleBaselines } from '../agents/finpilot/schedule-plan-file.js';

const NO_DNS_SERVER =
  'DNS records need a BIND server, and this crew has none: set CREW_DNS_SERVER and the CREW_DNS_TSIG_* variables where its Forge runs (docs/dns.md); nothing was changed';

export interface BuildChangeRunnersOptions {
  config: Readonly<CrewConfig>;
  logger: Logger;
  now?: () => Date;
  /** Told how long each Terraform command took (metrics). */
  onTerraform?: (command: string, seconds: number) => void;
  /** Told when a Terraform command has started (its process runs; this one waits). */
  onTerraformStarted?: (command: string) => void;
  /** Told how long each Terraform process ran, spawn to exit (onTerraform's time less this process's handling around it). */
  onTerraformProcess?: (command: string, seconds: number) => void;
  /** Vault's AWS secrets engine (Secrets.readAwsCredentials): used when CREW_AWS_VAULT_ROLE is set. */
  readAwsCredentials?: (mount: string, role: string) => Promise<AwsCredentials>;
  /** Where asg-schedule first-apply baselines live (shared by every host); default: the stack's workspace. */
  scheduleBaselines?: ScheduleBaselines;
}

/** Forge's runner per blueprint, configured from the crew's config (binaries, timeouts, targets). */
export function buildChangeRunners(o: BuildChangeRunnersOptions): ChangeRunners {
  const { config, logger } = o;
  const runner = new TerraformRunner({
    bin: config.terraformBin,
    inheritEnv: config.inheritedEnv,
    timeoutMs: config.terraformTimeoutMs,
    lockTimeoutSec: config.terraformLockTimeoutSec,
    // Terraform's output lines are debug logs: below that level they are neither split nor redacted.
    ...(logger.isLevelEnabled('debug') ? { onLog: (line: string) => logger.debug({ tf: line }) } : {}),
    ...(o.onTerraformStarted ? { onStarted: o.onTerraformStarted } : {}),
    ...(o.onTerraformProcess ? { onProcessEnded: o.onTerraformProcess } : {}),
  });
  const role = config.terraform.awsVaultRole;
  const read = o.readAwsCredentials;
  const tfRunner = new TerraformChangeRunner(runner, o.onTerraform, {
    ...(o.now ? { clock: o.now } : {}),
    onStateBackendRetry: (command, attempt, err) =>
      logger.warn({ command, attempt, err: errorMessage(err) }, 'terraform state backend unreachable; retrying'),
    settings: config.terraform,
    proxmox: config.proxmox,
    k3s: {
      bin: config.proxmox.ansiblePlaybookBin,
      env: config.inheritedEnv,
      timeoutMs: config.proxmox.playbookTimeoutMs,
      ...(config.proxmox.sshKeyFile ? { privateKeyFile: config.proxmox.sshKeyFile } : {}),
      onLog: (line) => logger.debug({ ansible: line }),
    },
    ...(role && read ? { awsCredentials: () => read(config.terraform.awsVaultMount, role) } : {}),
  });
  const dnsTarget = config.dnsTarget;
  return {
    'aws-spot-ollama': tfRunner,
    'proxmox-k3s': tfRunner,
    // The AWS SDK loads only when a schedule plan runs.
    'asg-schedule': lazyChangeRunner(async () => {
      const [{ AsgScheduleChangeRunner }, aws] = await Promise.all([
        import('../agents/finpilot/asg-schedule-runner.js'),
        import('../agents/finpilot/aws-clients.js'),
      ]);
      const autoScaling = aws.createAutoScalingClient(config.aws.client);
      return new AsgScheduleChangeRunner({
        autoScaling: () => autoScaling,
        defaultRegion: config.region,
        ...(o.scheduleBaselines ? { baselines: o.scheduleBaselines } : {}),
      });
    }),
    'dns-record': dnsTarget
      ? new DnsChangeRunner({
          target: dnsTarget,
          env: config.inheritedEnv,
          onLog: (line) => logger.debug({ ansible: line }),
        })
      : // No BIND server configured where this Forge runs: the plan fails saying what to set.
        lazyChangeRunner(() => Promise.reject(new CrewError('CREW_ERR_CONFIG', NO_DNS_SERVER))),
  };
}
