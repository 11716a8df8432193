import { refuse, type Refusal } from '../../errors.js';

export interface ListChange {
  /** What the list holds, for messages: "instance types", "allowed networks". */
  what: string;
  /** The stack's list now (the defaults' on a new stack). */
  current: readonly string[];
  /** Values the goal takes away. */
  removed: readonly string[];
  /** Values the goal states. */
  stated: readonly string[];
  isChange: boolean;
  /** "also", "add": stated values join the current ones instead of replacing them. */
  additive: boolean;
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/**
 * A list after the goal: stated values replace it (or join it, said as an addition); values taken
 * away leave it, the stated ones joining what is left ("replace g4dn.xlarge with g6.xlarge").
 * Taking away what the stack does not have, or everything it has, is refused.
 */
export function changeList(c: ListChange, notes: string[]): { ok: true; list: string[] } | Refusal<'bad-input'> {
  if (c.removed.length === 0) {
    if (c.stated.length === 0) return { ok: true, list: [...c.current] };
    const list = c.isChange && c.additive ? union(c.current, c.stated) : [...c.stated];
    // A change says what it does to the list: the reviewer sees what goes, not only what is.
    const dropped = c.isChange ? c.current.filter((v) => !list.includes(v)) : [];
    const added = c.isChange ? list.filter((v) => !c.current.includes(v)) : [];
    if (dropped.length > 0)
      notes.push(
        `Replaces the ${c.what} ${c.current.join(', ')} with ${list.join(', ')} (say "also" to keep ${dropped.length === 1 ? 'it' : 'them'}).`,
      );
    else if (added.length > 0) notes.push(`Adds ${added.join(', ')} to the ${c.what}: ${list.join(', ')}.`);
    return { ok: true, list };
  }
  const named = c.removed.join(', ');
  if (!c.isChange)
    return refuse('bad-input', `a new stack has no ${c.what} to remove (${named}): say the ones it uses`);
  const missing = c.removed.filter((v) => !c.current.includes(v));
  if (missing.length > 0)
    return refuse(
      'bad-input',
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not among the stack's ${c.what} (${c.current.join(', ')}): there is nothing to remove`,
    );
  const list = union(
    c.current.filter((v) => !c.removed.includes(v)),
    c.stated,
  );
  if (list.length === 0)
    return refuse(
      'bad-input',
      `removing ${named} leaves the stack no ${c.what}: say what replaces ${c.removed.length === 1 ? 'it' : 'them'}`,
    );
  const added = c.stated.filter((v) => !c.current.includes(v));
  notes.push(
    `Removes ${named} from the ${c.what}${added.length ? `, adds ${added.join(', ')}` : ''}: ${list.join(', ')}.`,
  );
  return { ok: true, list };
}
