import type { TerraformSettings } from '../../config/read-terraform-settings.js';

/** What a stack's state backend adds to its root config and to terraform's environment. */
export interface RenderedBackend {
  /** Extra files of the root config (none for the local backend). */
  files: Record<string, string>;
  /** Secrets terraform reads from its environment, never from a file (PG_CONN_STR). */
  env: Record<string, string>;
}

/** One PostgreSQL schema per stack: `infracrew_<stack>` with dashes as underscores. */
export function pgSchemaName(stack: string): string {
  return `infracrew_${stack.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/** The S3 object that holds a stack's state. */
export function s3StateKey(keyPrefix: string, stack: string): string {
  return `${keyPrefix}/${stack}/terraform.tfstate`;
}

/**
 * The backend block of a stack's root config. The local backend is Terraform's default (state
 * in the workspace), so it renders nothing: workspaces made before backends were configurable
 * keep initialising as they did.
 */
export function renderBackend(settings: TerraformSettings | undefined, stack: string): RenderedBackend {
  if (settings?.backend === 's3' && settings.s3) {
    const s3 = settings.s3;
    const block: Record<string, unknown> = {
      bucket: s3.bucket,
      key: s3StateKey(s3.keyPrefix, stack),
      region: s3.region,
      use_lockfile: true,
      ...(s3.endpoint ? { endpoints: { s3: s3.endpoint }, use_path_style: true } : {}),
    };
    return { files: { 'backend.tf.json': json({ terraform: { backend: { s3: block } } }) }, env: {} };
  }
  if (settings?.backend === 'pg' && settings.pg) {
    // conn_str stays out of the file: the backend reads PG_CONN_STR.
    const block = { schema_name: pgSchemaName(stack) };
    return {
      files: { 'backend.tf.json': json({ terraform: { backend: { pg: block } } }) },
      env: { PG_CONN_STR: settings.pg.connStr },
    };
  }
  return { files: {}, env: {} };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
