import { checkProviderMirror } from '../../agents/forge/check-provider-mirror.js';
import { fail, ok, warn, type DoctorCheck } from './doctor-types.js';
import { findMirror } from './find-mirror.js';

const HOW_TO_MIRROR =
  'on a machine with internet: `terraform providers mirror -platform=linux_amd64 <dir>` in a directory holding the root config, copy <dir> here, then set CREW_TF_PLUGIN_MIRROR=<dir>';

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
      `for an air-gapped machine: ${HOW_TO_MIRROR}`,
    );
  const result = checkProviderMirror(source.dir, [...providers]);
  if (!result.ok)
    return fail(name, `${source.setting} mirror ${source.dir}: ${result.problems.join('; ')}`, HOW_TO_MIRROR);
  return ok(name, `${providers.join(', ')} found in the mirror ${source.dir} (${source.setting})`);
}
