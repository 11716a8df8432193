import { checkProviderMirror, howToMirror } from '../../agents/forge/check-provider-mirror.js';
import { fail, ok, warn, type DoctorCheck } from './doctor-types.js';
import { findMirror } from './find-mirror.js';

/** The providers the target needs are installable: from the mirror, or (with a warning) the registry. */
export function checkProviders(
  providers: readonly string[],
  pluginMirror: string | undefined,
  cliConfigFile: string | undefined,
): DoctorCheck {
  const name = 'providers';
  if (providers.length === 0) return ok(name, 'this target needs no provider download (terraform_data is built in)');
  const source = findMirror(pluginMirror, cliConfigFile);
  if (source.kind === 'unreadable')
    return fail(
      name,
      `TF_CLI_CONFIG_FILE=${source.file} cannot be read (${source.reason})`,
      'fix or unset TF_CLI_CONFIG_FILE',
    );
  if (source.kind === 'registry')
    return warn(
      name,
      `${providers.join(', ')} will be downloaded from registry.terraform.io at init (no filesystem mirror configured)`,
      `for an air-gapped machine: ${howToMirror(providers)}`,
    );
  const result = checkProviderMirror(source.dir, [...providers]);
  if (!result.ok)
    return fail(
      name,
      `Terraform provider ${providers.join(', ')} is not available in the ${source.setting} mirror ${source.dir}: ${result.problems.join('; ')}`,
      howToMirror(providers, source.dir),
    );
  return ok(name, `${providers.join(', ')} found in the mirror ${source.dir} (${source.setting})`);
}
