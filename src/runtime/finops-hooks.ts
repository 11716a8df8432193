/** FinOps as a surface sees it: the Slack surface only relays these; absent means FinOps is not configured. */
export interface FinOpsHooks {
  schedule?(args: string[], user: string): Promise<string>;
  digest?(): Promise<{ text: string; png?: Buffer }>;
}
