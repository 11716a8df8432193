const PREFIX = /^Not understood: "(.*)"\.$/;

/** The spans Atlas could not use, read back from an outcome's rationale ("Not understood: "…"."). */
export function listNotUnderstood(rationale: readonly string[]): string[] {
  return rationale.flatMap((line) => {
    const m = PREFIX.exec(line);
    return m?.[1] === undefined ? [] : [m[1]];
  });
}
