/** One attribute of an applied resource that no longer has the value the approved apply gave it. */
export interface DriftItem {
  /** Cloud address, e.g. `aws_autoscaling_group.ollama`. */
  address: string;
  /** Top-level attribute name; `(resource)` when the whole resource is gone. */
  attribute: string;
  /** The value the approved apply left (data from the state or the approved plan: never evaluated). */
  expected: unknown;
  /** The value read back now (data from a remote system: never evaluated). */
  actual: unknown;
}

/** A difference that is not drift: a scheduled action or the group itself owns the attribute. */
export interface OwnedChange extends DriftItem {
  /** Who owns it, in words (e.g. "the stop action of the weekend schedule (FRI 22:00 → MON 07:00 Europe/Berlin)"). */
  ownedBy: string;
}

export type DriftStatus = 'clean' | 'drifted' | 'skipped' | 'failed' | 'snoozed';

/** What one drift check of one stack found. */
export interface StackDriftResult {
  stack: string;
  status: DriftStatus;
  checkedAt: string;
  /** The applied plan the stack was compared with. */
  planId?: string;
  version?: number;
  drift: DriftItem[];
  /** Differences a schedule or the group owns, reported so nobody wonders, never as drift. */
  owned: OwnedChange[];
  /** Why it was skipped or failed, or a note (e.g. snoozed until …). */
  note?: string;
}

/** One drift run over one or all applied stacks. */
export interface DriftRunResult {
  runId: string;
  startedAt: string;
  finishedAt: string;
  trigger: 'schedule' | 'cli' | 'slack';
  stacks: StackDriftResult[];
}
