import { AsyncLocalStorage } from 'node:async_hooks';

/** Where a change to a plan came from, as the audit trail records it. */
export type AuditSurface = 'slack' | 'cli' | 'api' | 'mcp' | 'scheduler' | 'system';

const PEOPLES: ReadonlySet<string> = new Set(['slack', 'cli', 'api', 'mcp', 'scheduler']);

const current = new AsyncLocalStorage<AuditSurface>();

/** Runs `fn` (and everything it awaits) as caused by `surface`: the audit rows it writes say so. */
export function withSurface<T>(surface: AuditSurface, fn: () => T): T {
  return current.run(surface, fn);
}

/** The surface of the work in progress: `system` when no surface started it (the agents' own steps). */
export function currentSurface(): AuditSurface {
  return current.getStore() ?? 'system';
}

/** The surface an artifact's producer stands for: people's surfaces by name, every agent is `system`. */
export function surfaceOfProducer(producer: string): AuditSurface {
  return PEOPLES.has(producer) ? (producer as AuditSurface) : 'system';
}
