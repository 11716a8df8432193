import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateModule } from './locate-module.js';

/**
 * Fills the module's user-data template the way Terraform's templatefile() would, so the
 * sandbox plans the same bytes the aws target would. The template only uses plain
 * interpolations; anything else is refused rather than rendered wrongly.
 */
export function renderUserData(vars: { ollama_port: number; model: string }): string {
  const template = readFileSync(join(locateModule('aws-spot-ollama'), 'user-data.sh.tftpl'), 'utf8');
  const filled = template.replace(/(\$\$\{|%%\{)|\$\{([a-z_]+)\}|(%\{)/g, (match, escaped: string | undefined, name: string | undefined, directive: string | undefined) => {
    if (escaped) return escaped.slice(1);
    if (directive) throw new Error('user-data template directives are not supported by the sandbox renderer');
    if (name === 'ollama_port') return String(vars.ollama_port);
    if (name === 'model') return vars.model;
    throw new Error(`user-data template uses unknown variable ${match}`);
  });
  return Buffer.from(filled, 'utf8').toString('base64');
}
