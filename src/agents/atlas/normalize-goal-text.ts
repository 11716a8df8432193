import { matchesOf, regex } from '../../util/regexps.js';
/**
 * A goal's layout read as the sentence it stands for, before any reader runs: a Markdown table
 * becomes `header: value` lines, `|` between fields a comma, a YAML or ticket key with
 * underscores its words, and a value the person corrected ("us-east-1 — sorry, us-east-2") the
 * corrected one. The readers then see one form; the notes say what was read as corrected.
 */
export interface NormalizedGoal {
  text: string;
  notes: string[];
}

const ROW = /^\s*\|(.*)\|\s*$/;
const SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const cells = (line: string): string[] => (ROW.exec(line)?.[1] ?? '').split('|').map((c) => c.trim());

/** Role rows ("| worker | 5 | 2 |" under "| role | count | with GPU |") read as counts of the role. */
function roleRow(header: string[], row: string[]): string | undefined {
  const role = header.findIndex((h) => /^(?:role|kind|type|what)$/i.test(h));
  const count = header.findIndex((h) => /^(?:count|number|n|#|how many|nodes|vms)$/i.test(h));
  if (role < 0 || count < 0) return undefined;
  const name = (row[role] ?? '').replace(/s$/i, '');
  const parts = [`${row[count] ?? ''} ${name}s`];
  // Other columns qualify the count ("2 of them with GPU"); a zero qualifies nothing.
  header.forEach((h, i) => {
    if (i !== role && i !== count && row[i] && !/^(?:0|no|none|-)$/i.test(row[i] ?? ''))
      parts.push(`${row[i]} of them ${h}`);
  });
  return parts.join(', ');
}

/** A Markdown table: header, separator, rows; each row becomes its `header: value` pairs on one line. */
function readTables(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (ROW.test(line) && SEPARATOR.test(lines[i + 1] ?? '')) {
      const header = cells(line);
      i += 2;
      for (; i < lines.length && ROW.test(lines[i] ?? ''); i++) {
        const row = cells(lines[i] ?? '');
        const asRole = roleRow(header, row);
        // A two-column "field | value" table is a ticket's key and value on each line.
        if (asRole) out.push(asRole);
        else if (header.length === 2 && /^(?:field|key|name|item|setting|param(?:eter)?)$/i.test(header[0] ?? ''))
          out.push(`${row[0] ?? ''}: ${row[1] ?? ''}`);
        else out.push(header.map((h, k) => `${h}: ${row[k] ?? ''}`).join(', '));
      }
      i -= 1;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/**
 * `on_demand_base: 1`, `budget_usd_month: 700`, `ram_mb: 65536`: a key's underscores read as
 * spaces, a unit in the key moved after the value ("ram 65536 mb", "budget 700 usd/month").
 */
function readUnderscoredKeys(text: string): string {
  return (
    text
      .replace(
        /\b([a-z]+)_(gb|gib|mb|mib|tb|usd)(?:_(month|monthly|mo|year|yearly))?\s*[=:]\s*(\d+(?:\.\d+)?)\b/gi,
        (_m, key: string, unit: string, per: string | undefined, value: string) =>
          `${key} ${value} ${unit}${per ? `/${per.replace(/ly$/, '')}` : ''}`,
      )
      // Keys the key=value reader knows as they are (gpu_workers, instance_types) stay.
      .replace(/\b[a-z]+(?:_[a-z]+)+(?=\s*[=:])/gi, (key) =>
        /^(?:gpu_(?:workers|agents|nodes)|instance_types?|vm_(?:types?|template)|stack_name)$/i.test(key)
          ? key
          : key.replaceAll('_', ' '),
      )
  );
}

// A correction: a dash or comma, then "sorry", "actually", "no wait", "make that", ...
// after a break in the sentence (a dash, comma, semicolon or full stop).
// It starts where its spaces do (never inside a run of them: a long one was read once per space).
const MARKER =
  /(?<!\s)\s*(?:[—–]|--?|[,;.(])\s*(?:no,?\s+sorry\b|sorry\b|actually\b|no,?\s+wait\b|wait,|scratch\s+that\b|correction\b|i\s+mean\b|or\s+rather\b|no,(?=\s))[,:]?\s*(?:(?:make|change)\s+(?:that|it)(?:\s+to)?\s+|(?:it\s+)?should\s+be\s+)?/gi;

/** Kinds of value a correction replaces, most specific first. */
const KINDS: RegExp[] = [
  /\b[a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}\b/gi,
  /\b\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?\b/g,
  /\b\d{1,2}:\d{2}\b/g,
  /['"‘’“”`][a-z0-9][a-z0-9._-]*['"‘’“”`]/gi,
  /\$?\b\d+(?:[.,]\d+)?(?:\s*(?:k|gb|gib|mb|tb))?\b/gi,
];
/** Nouns a number counts or measures: a new value with one of them is a value of its own. */
const COUNTED =
  /^(?:instances?|workers?|servers?|masters?|agents?|nodes?|boxes|box|vms?|gpus?|cores?|vcpus?|cpus?|gb|gib|mb|tb|days?|hours?|minutes?|seconds?|records?)$/;
/** Words a person puts between the marker and the new value ("my lead says 550"). */
const FILLER = /^(?:[a-z']+\s+){0,4}/i;

/**
 * "us-east-1 — sorry, us-east-2", "3 instances — actually make that 2", "400/month — no wait, my
 * lead says 550", "'saturn-hv' — no, sorry, 'orion-hv'": the corrected value takes the old one's
 * place (so it keeps its noun), and the correction's words are dropped. Only a value of the same
 * kind close before the marker is replaced; otherwise the text stays as written and the readers
 * ask about what they cannot place.
 */
function readCorrections(text: string, notes: string[]): string {
  let out = text;
  // Each pass applies one correction and reads the text again; a few per request at most.
  for (let pass = 0; pass < 5; pass++) {
    const next = correctOnce(out, notes);
    if (next === undefined) break;
    out = next;
  }
  return out;
}

/** The text with its first correction applied, or undefined when there is none to apply. */
function correctOnce(out: string, notes: string[]): string | undefined {
  const nounAfter = (at: number) => /^\s*([a-z]+)/i.exec(out.slice(at))?.[1]?.toLowerCase();
  for (const marker of matchesOf(MARKER, out)) {
    const after = out.slice(marker.index + marker[0].length);
    const filler = FILLER.exec(after)?.[0] ?? '';
    for (const kind of KINDS) {
      // The new value right after the marker (and a few words), the old one close before it.
      const fresh = regex(kind.source, kind.flags.replace('g', '')).exec(after.slice(0, filler.length + 40));
      if (!fresh || fresh.index > filler.length + 1) continue;
      const before = out.slice(Math.max(0, marker.index - 80), marker.index);
      const old = matchesOf(regex(kind.source, kind.flags), before).pop();
      if (!old) continue;
      const oldAt = marker.index - before.length + old.index;
      const freshEnd = marker.index + marker[0].length + fresh.index + fresh[0].length;
      // "$300, actually 2 instances": a new value with a noun of its own corrects nothing before.
      const freshNoun = nounAfter(freshEnd);
      if (freshNoun && COUNTED.test(freshNoun) && freshNoun !== nounAfter(oldAt + old[0].length)) continue;
      // The noun said again after the new value ("3 workers — make that 4 workers") is dropped too.
      const oldNoun = /^\s+([a-z]+)/i.exec(out.slice(oldAt + old[0].length))?.[1];
      const repeat = oldNoun ? (new RegExp(`^\\s+${oldNoun}\\b`, 'i').exec(out.slice(freshEnd))?.[0] ?? '') : '';
      // "(15 is the old one)": a remark on the old value goes with it.
      const remark =
        /^\s*\([^)]*\b(?:old|previous|wrong|typo|full|gone)\b[^)]*\)/i.exec(out.slice(freshEnd + repeat.length))?.[0] ??
        '';
      notes.push(`Read "${out.slice(oldAt, freshEnd).trim()}" as ${fresh[0]}: the value was corrected.`);
      return (
        out.slice(0, oldAt) +
        fresh[0] +
        out.slice(oldAt + old[0].length, marker.index) +
        out.slice(freshEnd + repeat.length + remark.length)
      );
    }
  }
  return undefined;
}

export function normalizeGoalText(goal: string): NormalizedGoal {
  const notes: string[] = [];
  let text = readTables(goal);
  // "a | b | c": fields of a ticket, one after another — on a line of two or more such bars (one
  // bar is left as written). Refusals are read from the goal as written as well, so a shell pipe
  // read as fields still gets its refusal.
  text = text
    .split('\n')
    .map((line) => ((line.match(/\s\|\s/g) ?? []).length >= 2 ? line.replace(/\s\|\s/g, ' , ') : line))
    .join('\n');
  text = readUnderscoredKeys(text);
  text = readCorrections(text, notes);
  return { text, notes };
}
