import type { GoalScan } from './goal-scan.js';
import { NUM_A, readNumber } from './read-number.js';
import { regex } from '../../util/regexps.js';

/**
 * The k3s server role by its names and abbreviations: "servers", "masters", "control planes",
 * "control-plane nodes", "cp nodes", "ctrl plane".
 */
export const SERVER_NOUN = '(?:servers?|masters?|control[- ]?planes?|ctrl[- ]?planes?|cps?)';

/** Counts said relative to what a standing cluster has. */
export interface NodeDeltas {
  /** "add 2 workers" / "remove a worker": relative to the stack's current count. */
  workersDelta?: number;
  gpuWorkersDelta?: number;
  serversDelta?: number;
  /** "remove the GPU from one worker", "give another worker a GPU": a k3s worker's GPU, the workers unchanged. */
  gpuMoved?: boolean;
}

const n = (m: RegExpExecArray | undefined, group = 1): number | undefined =>
  m?.[group] === undefined ? undefined : readNumber(m[group]);

/**
 * Nodes a goal adds to or takes from a standing cluster, relative to what it has: GPU workers
 * ("add a gpu worker", "2 more gpu workers"), a GPU moved between workers, workers ("add 2
 * workers", "one fewer worker") and servers ("add a server", "remove one server").
 */
export function readNodeDeltas(scan: GoalScan, f: NodeDeltas): void {
  const addGpu = scan.takeFirst(
    regex(
      `\\b(?:add|plus|another)\\s+${NUM_A}?\\s*(?:more\\s+)?gpu(?:[- ]passthrough)?\\s+(?:workers?|agents?|nodes?)\\b|\\b${NUM_A}\\s+(?:more|extra|additional)\\s+gpu(?:[- ]passthrough)?\\s+(?:workers?|agents?|nodes?)\\b`,
      'g',
    ),
  );
  if (addGpu) f.gpuWorkersDelta = n(addGpu) ?? n(addGpu, 2) ?? 1;
  // "remove the GPU from one worker", "give another worker a GPU": the GPU moves, the workers stay.
  const gpuOff = scan.takeFirst(
    regex(
      `\\b(?:remove|take|pull|drop|detach)\\s+(?:the\\s+|an?\\s+|its\\s+)?gpus?(?:[- ]passthrough)?\\s+(?:from|off(?:\\s+of)?|out\\s+of)\\s+${NUM_A}\\s+(?:of\\s+the\\s+)?(?:workers?|agents?|nodes?)\\b`,
      'g',
    ),
  );
  const gpuOn = scan.takeFirst(
    regex(
      `\\b(?:add|attach|pass\\s+through)\\s+(?:the\\s+|an?\\s+)?gpus?\\s+(?:to|on)\\s+(?:${NUM_A}|another)\\s+(?:more\\s+)?(?:of\\s+the\\s+)?(?:workers?|agents?|nodes?)\\b|\\bgive\\s+(?:${NUM_A}|another)\\s+(?:more\\s+)?(?:workers?|agents?|nodes?)\\s+(?:an?\\s+|the\\s+)?gpus?\\b`,
      'g',
    ),
  );
  const moved = gpuOff ? -(n(gpuOff) ?? 1) : gpuOn ? (n(gpuOn, 1) ?? n(gpuOn, 2) ?? 1) : undefined;
  if (moved !== undefined && f.gpuWorkersDelta === undefined) {
    f.gpuWorkersDelta = moved;
    f.workersDelta ??= 0;
    f.gpuMoved = true;
  }
  const add = scan.takeFirst(
    regex(
      `\\b(?:add|plus)\\s+${NUM_A}\\s+(?:more\\s+)?(?:workers?|agents?|worker nodes?)\\b|\\b${NUM_A}\\s+more\\s+(?:workers?|agents?)\\b|\\banother\\s+(worker|agent)\\b`,
      'g',
    ),
  );
  if (add) f.workersDelta = add[3] ? 1 : (n(add, 1) ?? n(add, 2) ?? 1);
  // "remove a worker", "one fewer worker", "two GPU workers less".
  const drop = scan.takeFirst(
    regex(
      `\\b(?:remove|drop|delete|destroy)\\s+${NUM_A}\\s+(?:of the\\s+)?(gpu\\s+)?(?:workers?|agents?|worker nodes?)\\b|\\b${NUM_A}\\s+(?:fewer|less)\\s+(gpu\\s+)?(?:workers?|agents?|worker nodes?)\\b|\\b${NUM_A}\\s+(gpu\\s+)?(?:workers?|agents?)\\s+(?:fewer|less)\\b`,
      'g',
    ),
  );
  if (drop) {
    const count = -(n(drop, 1) ?? n(drop, 3) ?? n(drop, 5) ?? 1);
    if (drop[2] ?? drop[4] ?? drop[6]) f.gpuWorkersDelta = count;
    else f.workersDelta = count;
  }
  // "add a server", "2 more masters", "another control plane", "remove one server", "one fewer
  // server": relative to the cluster's servers (read as a count, "remove one server" left one of three).
  const addServers = scan.takeFirst(
    regex(
      `\\badd\\s+${NUM_A}\\s+(?:(?:more|extra|additional)\\s+)?${SERVER_NOUN}\\b|\\b${NUM_A}\\s+(?:more|extra|additional)\\s+${SERVER_NOUN}\\b|\\b(another|an\\s+(?:extra|additional))\\s+${SERVER_NOUN}\\b`,
      'g',
    ),
  );
  if (addServers) f.serversDelta = addServers[3] ? 1 : (n(addServers, 1) ?? n(addServers, 2) ?? 1);
  const dropServers = scan.takeFirst(
    regex(
      `\\b(?:remove|drop|delete|destroy|take\\s+(?:away|out))\\s+${NUM_A}\\s+(?:of\\s+the\\s+)?${SERVER_NOUN}\\b|\\b${NUM_A}\\s+(?:fewer|less)\\s+${SERVER_NOUN}\\b|\\b${NUM_A}\\s+${SERVER_NOUN}\\s+(?:fewer|less)\\b`,
      'g',
    ),
  );
  if (dropServers && f.serversDelta === undefined)
    f.serversDelta = -(n(dropServers, 1) ?? n(dropServers, 2) ?? n(dropServers, 3) ?? 1);
}
