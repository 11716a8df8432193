import { errorMessage } from '../../errors.js';
import { fail, ok, warn, type DoctorCheck } from './doctor-types.js';
import { runVersionCommand } from './run-version-command.js';

const MIN = [1, 5];
/** S3's native state locking (`use_lockfile`) arrived in Terraform 1.10. */
const S3_LOCKFILE = [1, 10];

function atLeast(version: string, min: number[]): boolean {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** Terraform is installed, runs, and is recent enough for the configured backend. */
export async function checkTerraform(bin: string, env: Record<string, string>, backend: string): Promise<DoctorCheck> {
  const name = 'terraform';
  let version: string;
  try {
    const stdout = await runVersionCommand(bin, ['version', '-json'], env);
    version = String((JSON.parse(stdout) as { terraform_version?: unknown }).terraform_version ?? '');
  } catch (err) {
    return fail(
      name,
      `${bin} did not run: ${errorMessage(err).split('\n')[0]}`,
      'install Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install) or set CREW_TERRAFORM_BIN',
    );
  }
  if (!atLeast(version, MIN)) return fail(name, `Terraform ${version} at ${bin}`, 'upgrade to Terraform >= 1.5');
  if (backend === 's3' && !atLeast(version, S3_LOCKFILE))
    return warn(name, `Terraform ${version}: the s3 backend's use_lockfile needs 1.10`, 'upgrade to Terraform >= 1.10');
  return ok(name, `Terraform ${version} at ${bin}`);
}
