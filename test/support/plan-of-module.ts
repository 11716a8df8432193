type Json = Record<string, unknown>;

/**
 * The part of a plan (`terraform show -json`) that belongs to `module.<call>`, shaped like a
 * plan of that stack alone: its provider alias becomes the root's default `aws` provider, as
 * renderAws writes it.
 */
export function planOfModule(plan: Json, call: string, alias: string): Json {
  const prefix = `module.${call}`;
  const inModule = (address: unknown) =>
    typeof address === 'string' && (address === prefix || address.startsWith(`${prefix}.`));
  const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
  const pv = (plan.planned_values ?? {}) as Json;
  const pvRoot = (pv.root_module ?? {}) as Json;
  const conf = (plan.configuration ?? {}) as Json;
  const confRoot = (conf.root_module ?? {}) as Json;
  const calls = (confRoot.module_calls ?? {}) as Json;
  const { alias: _alias, ...provider } = (((conf.provider_config ?? {}) as Json)[`aws.${alias}`] ?? {}) as Json;
  return {
    ...plan,
    resource_changes: list(plan.resource_changes).filter((r) => inModule(r.module_address)),
    resource_drift: list(plan.resource_drift).filter((r) => inModule(r.module_address)),
    output_changes: {},
    planned_values: {
      ...pv,
      outputs: {},
      root_module: { ...pvRoot, child_modules: list(pvRoot.child_modules).filter((m) => inModule(m.address)) },
    },
    configuration: {
      ...conf,
      provider_config: { aws: provider },
      root_module: { ...confRoot, outputs: {}, module_calls: { [call]: calls[call] } },
    },
    relevant_attributes: list(plan.relevant_attributes).filter((a) => inModule(a.resource)),
  };
}
