import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CrewError } from '../../errors.js';
import { locateModule } from './locate-module.js';

// The same pattern as the module's `model` variable validation and the PlanSpec schema: no
// character a shell gives a meaning to ($ ` " ' \ ; | & < > ( ) space newline) can pass.
const MODEL = /^[a-z0-9][a-z0-9._/-]*(?::[a-z0-9._-]+)?$/;

/**
 * Refuses a model name that is not `name[:tag]`. The name is written into the shell script
 * every instance runs at boot, so anything else could run a command there.
 */
export function checkModelName(model: string): void {
  if (model === '') return;
  if (model.length > 100 || !MODEL.test(model)) {
    throw new CrewError(
      'CREW_ERR_BAD_INPUT',
      `model ${JSON.stringify(model.slice(0, 120))} is not a model name: use name[:tag] with lowercase letters, digits and . _ / - (e.g. llama3.1:8b)`,
    );
  }
}

/**
 * Fills the module's user-data template the way Terraform's templatefile() would, so the
 * sandbox plans the same bytes the aws target would. The template only uses plain
 * interpolations; anything else is refused rather than rendered wrongly, and so is any value
 * that would be more than data to the shell script.
 */
export function renderUserData(vars: { ollama_port: number; model: string }): string {
  checkModelName(vars.model);
  if (!Number.isInteger(vars.ollama_port) || vars.ollama_port < 1 || vars.ollama_port > 65535) {
    throw new CrewError('CREW_ERR_BAD_INPUT', `ollama port ${String(vars.ollama_port)} is not a port (1-65535)`);
  }
  const template = readFileSync(join(locateModule('aws-spot-ollama'), 'user-data.sh.tftpl'), 'utf8');
  const filled = template.replace(
    /(\$\$\{|%%\{)|\$\{([a-z_]+)\}|(%\{)/g,
    (match, escaped: string | undefined, name: string | undefined, directive: string | undefined) => {
      if (escaped) return escaped.slice(1);
      if (directive) throw new Error('user-data template directives are not supported by the sandbox renderer');
      if (name === 'ollama_port') return String(vars.ollama_port);
      if (name === 'model') return vars.model;
      throw new Error(`user-data template uses unknown variable ${match}`);
    },
  );
  return Buffer.from(filled, 'utf8').toString('base64');
}
