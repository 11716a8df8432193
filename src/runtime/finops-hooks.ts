/** FinOps as a surface sees it: the Slack surface only relays these; absent means FinOps is not configured. */
export interface FinOpsHooks {
  schedule?(args: string[], user: string): Promise<string>;
  digest?(): Promise<{ text: string; png?: Buffer }>;
  /** `/crew drift [<stack>]` and `/crew drift snooze <stack> <date>`: the drift report as plain text. */
  drift?(args: string[], user: string): Promise<string>;
}
