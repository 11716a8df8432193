import { type Params, XmlList, type XmlValue } from './query-protocol.js';

// Query-protocol structures echoed back: `A.B.1.C=x` becomes `{ A: { B: [{ C: 'x' }] } }`.
// awsQuery wraps list items in `member` (`B.member.1.C`), which the tree drops.

type Node = { [key: string]: XmlValue };

export function formTree(p: Params): Node {
  const root: Node = {};
  for (const [key, value] of Object.entries(p)) {
    const parts = key.split('.').filter((s) => s !== 'member');
    let node: XmlValue = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      const container = node as Record<string, XmlValue> | XmlValue[];
      const slot = Array.isArray(container) ? Number(part) - 1 : part;
      if (last) {
        (container as Record<string | number, XmlValue>)[slot] = value;
        break;
      }
      let child = (container as Record<string | number, XmlValue>)[slot];
      if (child === undefined || child === null || typeof child !== 'object') {
        child = nextIsIndex ? [] : {};
        (container as Record<string | number, XmlValue>)[slot] = child;
      }
      node = child;
    }
  }
  return compact(root) as Node;
}

/** Arrays built by index may have holes; AWS never answers with them. */
function compact(v: XmlValue): XmlValue {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)]));
  return v;
}

/**
 * Renames keys as the answer spells them: ec2Query requests say `BlockDeviceMapping.1`,
 * answers `blockDeviceMappingSet`; anything not in `names` becomes lowerCamelCase.
 */
export function renameKeys(v: XmlValue, names: Record<string, string>): XmlValue {
  if (v instanceof XmlList)
    return new XmlList(
      v.itemTag,
      v.items.map((x) => renameKeys(x, names)),
    );
  if (Array.isArray(v)) return v.map((x) => renameKeys(x, names));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [names[k] ?? k.charAt(0).toLowerCase() + k.slice(1), renameKeys(x, names)]),
    );
  return v;
}
