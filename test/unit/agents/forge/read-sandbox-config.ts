import { renderSandbox, type RenderSandboxOptions } from '../../../../src/agents/forge/render-sandbox.js';
import type { PlanSpec } from '../../../../contracts/artifacts.js';

type Block = { input: Record<string, unknown>; triggers_replace?: unknown; lifecycle?: { ignore_changes: string[] } };

/** Renders a spec and returns its terraform_data blocks by sandbox name. */
export function readSandboxConfig(
  spec: PlanSpec,
  options?: RenderSandboxOptions,
): { blocks: Record<string, Block>; config: Record<string, unknown>; resources: string[] } {
  const render = renderSandbox(spec, options);
  const config = JSON.parse(render.files['main.tf.json'] ?? '{}') as {
    resource: { terraform_data: Record<string, Block> };
  };
  return { blocks: config.resource.terraform_data, config, resources: render.resources };
}
