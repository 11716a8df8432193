import type { GoalFacts } from './extract-facts.js';

/**
 * The name after its noun, directly, after "called" / "named", or as a key ("node: pve-gpu",
 * "template=debian12", "template id 8000"). It ends on a letter or digit: the full stop that ends
 * a sentence ("cloned from template 9001.") is never part of it.
 */
const NAME =
  '(?:\\s*[:=]\\s*|\\s+(?:(?:called|named|id|name)\\s+)?)["\'`]?([a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?)(?![\\w-])';

/** Proxmox placement phrases, read from what the other readers left: node, template, bridge. */
export const PLACEMENT_RES = {
  node: new RegExp(
    `(?<![\\w-])(?:(?:proxmox\\s+|pve\\s+)?(?:node|host)|proxmox\\s+(?:box|server|machine))(?!\\s+(?:pool|count)\\b)${NAME}`,
  ),
  vmTemplate: new RegExp(`\\b(?:vm\\s+)?(?:template|image|tmpl)(?:\\s+(?:of|from))?${NAME}`),
  bridge: /\b(vmbr\d{1,4})\b/,
  network: new RegExp(`\\b(?:bridge|network)${NAME}`),
} as const;

/** Proxmox placement words read from what the other readers left: node, template, bridge. */
export function readPlacement(f: GoalFacts): { node?: string; vmTemplate?: string; network?: string } {
  const at = (re: RegExp) => {
    const m = re.exec(f.rest);
    if (!m?.[1]) return undefined;
    return f.raw.slice(m.index + m[0].length - m[1].length, m.index + m[0].length);
  };
  return {
    node: at(PLACEMENT_RES.node),
    vmTemplate: at(PLACEMENT_RES.vmTemplate),
    network: at(PLACEMENT_RES.bridge) ?? at(PLACEMENT_RES.network),
  };
}
