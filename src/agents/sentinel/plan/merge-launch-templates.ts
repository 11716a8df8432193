import { ownValue } from '../util/own-value.js';
import { configExpressions, configOf, indexPlan, referencedResources, type PlanIndex } from './index-plan.js';
import { asRecord, toBool } from './lookup-value.js';
import type { ParsedPlan, PlanResource } from './plan-types.js';

// An `aws_instance` with `launch_template { id | name, version }` launches with the template's
// settings for every argument it does not set itself. Rules and cost see the merged instance.

const ROOT_DEVICES = new Set(['/dev/xvda', '/dev/sda1', '/dev/sda']);

type Unknown = Record<string, unknown>;

function first(v: unknown): Record<string, unknown> | null {
  return asRecord(Array.isArray(v) ? v[0] : v);
}

/** The template named by value (id or name), else by configuration reference. */
function findTemplate(idx: PlanIndex, instance: PlanResource, spec: Record<string, unknown>): PlanResource | null {
  const templates = idx.byType.get('aws_launch_template') ?? [];
  for (const key of ['id', 'name'] as const) {
    const v = spec[key];
    const hit = typeof v === 'string' && v !== '' ? templates.find((t) => t.after?.[key] === v) : undefined;
    if (hit) return hit;
  }
  const modulePath = configOf(idx, instance)?.modulePath ?? '';
  for (const key of ['id', 'name']) {
    for (const expr of configExpressions(idx, instance, `launch_template.${key}`)) {
      for (const ref of expr.references) {
        const hit = referencedResources(idx, ref, modulePath).find((t) => t.type === 'aws_launch_template');
        if (hit?.after) return hit;
      }
    }
  }
  return null;
}

/** Launch template `ebs` (string booleans) as instance block devices. */
function devices(mappings: unknown, root: boolean): Record<string, unknown>[] {
  return (Array.isArray(mappings) ? mappings : []).flatMap((m) => {
    const map = asRecord(m);
    const ebs = first(map?.ebs);
    const name = typeof map?.device_name === 'string' ? map.device_name : '';
    if (!ebs || ROOT_DEVICES.has(name) !== root) return [];
    const { encrypted, delete_on_termination: dot, ...rest } = ebs;
    return [
      {
        ...rest,
        ...(root ? {} : { device_name: name }),
        encrypted: toBool(encrypted),
        delete_on_termination: toBool(dot),
      },
    ];
  });
}

/** Instance argument → its value from the template (`undefined`: the template does not set it). */
function fromTemplate(lt: Record<string, unknown>): Record<string, unknown> {
  const nic = first(lt.network_interfaces);
  const out: Record<string, unknown> = {
    instance_type: lt.instance_type,
    ami: lt.image_id,
    metadata_options: lt.metadata_options,
    instance_market_options: lt.instance_market_options,
    credit_specification: lt.credit_specification,
    ebs_optimized: toBool(lt.ebs_optimized) ?? undefined,
    monitoring: first(lt.monitoring)?.enabled,
    tenancy: first(lt.placement)?.tenancy,
    associate_public_ip_address: toBool(nic?.associate_public_ip_address) ?? undefined,
  };
  const root = devices(lt.block_device_mappings, true);
  const extra = devices(lt.block_device_mappings, false);
  if (root.length > 0) out.root_block_device = root;
  if (extra.length > 0) out.ebs_block_device = extra;
  return out;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function merge(idx: PlanIndex, r: PlanResource): PlanResource {
  const spec = first(r.after?.launch_template);
  if (!r.after || !spec) return r;
  const lt = findTemplate(idx, r, spec);
  if (!lt?.after) return r;
  const after = { ...r.after };
  const unknown: Unknown = { ...(asRecord(r.afterUnknown) ?? {}) };
  const ltUnknown = asRecord(lt.afterUnknown) ?? {};
  for (const [attr, value] of Object.entries(fromTemplate(lt.after))) {
    // An argument the instance sets itself wins over the template.
    if (configExpressions(idx, r, attr).length > 0 || !isEmpty(after[attr]) || isEmpty(value)) continue;
    after[attr] = value;
    unknown[attr] = ownValue(ltUnknown, attr) === true ? true : false;
  }
  return { ...r, after, afterUnknown: unknown };
}

/** The plan with each `aws_instance` (and Spot request) merged with the launch template it names. */
export function mergeLaunchTemplates(plan: ParsedPlan): ParsedPlan {
  const uses = (r: PlanResource) =>
    (r.type === 'aws_instance' || r.type === 'aws_spot_instance_request') && first(r.after?.launch_template) !== null;
  if (!plan.changes.some(uses)) return plan;
  const idx = indexPlan(plan);
  return { ...plan, changes: plan.changes.map((r) => (uses(r) ? merge(idx, r) : r)) };
}
