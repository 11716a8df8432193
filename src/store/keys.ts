// Redis key layout. A `{…}` hash tag keeps keys that change together in one cluster slot:
// a plan's record and its history share `{planId}`, a stack's record, versions and lock
// share `{stack:name}`.
export interface Keys {
  plan(planId: string): string;
  history(planId: string): string;
  audit(planId: string): string;
  decisions(planId: string): string;
  planIndex(): string;
  activePlans(): string;
  stack(stack: string): string;
  stackVersions(stack: string): string;
  stackLock(stack: string): string;
  stackQueue(stack: string): string;
  stackIndex(): string;
}

export function makeKeys(prefix = 'crew'): Keys {
  return {
    plan: (id) => `${prefix}:plan:{${id}}`,
    history: (id) => `${prefix}:plan:{${id}}:history`,
    audit: (id) => `${prefix}:plan:{${id}}:audit`,
    decisions: (id) => `${prefix}:plan:{${id}}:decisions`,
    planIndex: () => `${prefix}:{index}:plans`,
    activePlans: () => `${prefix}:{index}:active`,
    stack: (s) => `${prefix}:stack:{stack:${s}}`,
    stackVersions: (s) => `${prefix}:stack:{stack:${s}}:versions`,
    stackLock: (s) => `${prefix}:stack:{stack:${s}}:lock`,
    stackQueue: (s) => `${prefix}:stack:{stack:${s}}:queue`,
    stackIndex: () => `${prefix}:{index}:stacks`,
  };
}
