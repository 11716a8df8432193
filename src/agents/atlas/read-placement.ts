import type { GoalFacts } from './extract-facts.js';
import { regex } from '../../util/regexps.js';

/**
 * The name after its noun, directly, after "called" / "named", or as a key ("node: pve-gpu",
 * "template=debian12", "template id 8000"). It ends on a letter or digit: the full stop that ends
 * a sentence ("cloned from template 9001.") is never part of it.
 */
const NAME =
  '(?:\\s*[:=]\\s*|\\s+(?:(?:called|named|id|name)\\s+)?)["\'`]?' +
  // "the … template on node pve-lab": a preposition or article after the noun names nothing.
  '(?!(?:on|in|at|to|for|with|and|of|from|the|a|an|is|are|please|each|per|should|would|vm|vms|that|which)\\b)' +
  '([a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?)(?![\\w-])';

/**
 * A node's name before the noun ("on the pve-small node", "use pve02 host"): a name-shaped word
 * with a digit or a dash, never a count ("3-node", "single-node"), a kind ("gpu-enabled") or k3s.
 */
const NAME_BEFORE =
  '(?:\\b(?:on|onto|to|at|use|using|pin(?:ned)?\\s+(?:it\\s+)?to)\\s+(?:the\\s+)?|\\bthe\\s+)["\'`]?' +
  '(?!(?:k3s|k8s|rke2|single|multi|one|two|three|four|five|six|seven|eight|nine|ten)\\b|\\d+(?:-|\\s|$))' +
  '([a-z0-9](?=[a-z0-9._-]*[\\d-])(?=[a-z0-9._-]*[a-z])(?:[a-z0-9._-]{0,62}[a-z0-9])?)' +
  '(?<!-(?:enabled|based|ish|like|only|capable|ready|class|grade))["\'`]?\\s+(?:proxmox\\s+|pve\\s+)?(?:node|host)\\b';

/** A template's name before the noun ("cloned from the ubuntu-2404-cloudinit template"): a name with a digit or a dash. */
const TEMPLATE_BEFORE =
  '\\b(?:the|our|from|using|use)\\s+["\'`]?' +
  '([a-z0-9](?=[a-z0-9._-]*[\\d-])(?=[a-z0-9._-]*[a-z])(?:[a-z0-9._-]{0,62}[a-z0-9])?)["\'`]?\\s+(?:vm\\s+)?(?:template|image)\\b';

/** Proxmox placement phrases, read from what the other readers left: node, template, bridge. */
export const PLACEMENT_RES = {
  node: regex(
    `(?<![\\w-])(?:(?:proxmox\\s+|pve\\s+)?(?:node|host|hypervisor)|proxmox\\s+(?:box|server|machine))(?!\\s+(?:pool|count)\\b)${NAME}`,
  ),
  nodeBefore: regex(NAME_BEFORE, 'd'),
  // "our Proxmox box (pve-lab)": the host's name in brackets right after it.
  nodeBracketed:
    /(?<![\w-])(?:proxmox|pve)\s+(?:box|server|machine|host|node|hypervisor)\s*\(\s*["'`]?([a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?)["'`]?\s*\)/d,
  // "on pve-net-lab", "onto pve7": a Proxmox host's conventional name needs no "node" beside it.
  nodeOnPve: /\b(?:on(?:to)?|in|at)\s+["'`]?(pve[\d-](?:[a-z0-9._-]{0,60}[a-z0-9])?)(?![\w-])/d,
  vmTemplate: regex(`\\b(?:vm\\s+)?(?:template|image|tmpl)(?:\\s+(?:of|from))?${NAME}`),
  templateBefore: regex(TEMPLATE_BEFORE, 'd'),
  bridge: /\b(vmbr\d{1,4})\b/,
  network: regex(`\\b(?:bridge|network)${NAME}`),
} as const;

/** Proxmox placement words read from what the other readers left: node, template, bridge. */
export function readPlacement(f: GoalFacts): { node?: string; vmTemplate?: string; network?: string } {
  const at = (re: RegExp) => {
    const m = re.exec(f.rest);
    if (!m?.[1]) return undefined;
    // The name ends the match, except before its noun ("the pve-small node"), read by its indices.
    const [start, end] = m.indices?.[1] ?? [m.index + m[0].length - m[1].length, m.index + m[0].length];
    return f.raw.slice(start, end);
  };
  return {
    node:
      at(PLACEMENT_RES.node) ??
      at(PLACEMENT_RES.nodeBracketed) ??
      at(PLACEMENT_RES.nodeBefore) ??
      at(PLACEMENT_RES.nodeOnPve),
    vmTemplate: at(PLACEMENT_RES.vmTemplate) ?? at(PLACEMENT_RES.templateBefore),
    network: at(PLACEMENT_RES.bridge) ?? at(PLACEMENT_RES.network),
  };
}
