// What Adopt makes of a stack's drift: the params it sets, and what it cannot adopt.

export type ObservedValue = number | string | string[];

/** One spec param Adopt sets to what the infrastructure has now. */
export interface AdoptedParam {
  param: string;
  from: unknown;
  to: ObservedValue;
  address: string;
  attribute: string;
}

/** One drifted attribute Adopt cannot write into the spec, and why. */
export interface NotAdopted {
  address: string;
  attribute: string;
  why: string;
}

export interface AdoptMapping {
  /** Param → observed value, for the GoalStatement's `drift.set`. */
  set: Record<string, ObservedValue>;
  adopted: AdoptedParam[];
  notAdopted: NotAdopted[];
}
