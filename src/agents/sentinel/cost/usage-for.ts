// A usage file read (read-usage-file.ts) and the values it gives one resource: apart from the
// reader, so pricing a plan does not load the YAML parser.

export type UsageValues = Readonly<Record<string, number>>;

export interface UsageFile {
  exact: ReadonlyMap<string, UsageValues>;
  wildcards: readonly { pattern: RegExp; values: UsageValues }[];
  byType: ReadonlyMap<string, UsageValues>;
}

const NONE: UsageValues = Object.freeze({});

/** The usage values for one resource address (empty when the file has none). */
export function usageFor(usage: UsageFile | undefined, address: string, type: string): UsageValues {
  if (!usage) return NONE;
  return (
    usage.exact.get(address) ??
    usage.wildcards.find((w) => w.pattern.test(address))?.values ??
    usage.byType.get(type) ??
    NONE
  );
}
