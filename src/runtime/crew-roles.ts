/** The agents a crew process may run (`crew worker --roles`); apart so the CLI can name them without loading them. */
export type Role = 'conductor' | 'atlas' | 'forge' | 'sentinel';
export const ALL_ROLES: readonly Role[] = ['conductor', 'atlas', 'forge', 'sentinel'];
