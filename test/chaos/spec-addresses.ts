import type { PlanSpec } from '../../contracts/index.js';
import { renderSandbox } from '../../src/agents/forge/render-sandbox.js';

/** The `terraform state list` addresses a sandbox stack built from `spec` must hold. */
export function specAddresses(spec: PlanSpec | undefined): string[] {
  if (!spec) return [];
  const config = JSON.parse(renderSandbox(spec).files['main.tf.json'] ?? '{}') as {
    resource?: { terraform_data?: Record<string, unknown> };
  };
  return Object.keys(config.resource?.terraform_data ?? {})
    .map((name) => `terraform_data.${name}`)
    .sort();
}
