import type { webApi } from '@slack/bolt';

/**
 * Slack takes chat.postMessage about once a second per channel, short bursts tolerated; beyond
 * that it answers 429. Posts wait for their slot here instead (GCRA: each channel's theoretical
 * arrival time advances one interval per post; up to `burst` posts may go at once).
 */
export class ChannelPace {
  private readonly tat = new Map<string, number>();

  constructor(private readonly o: { intervalMs?: number; burst?: number; now?: () => number } = {}) {}

  /** Resolves when a post to `channel` may go; reserves that slot. */
  async wait(channel: string): Promise<void> {
    const interval = this.o.intervalMs ?? 1000;
    const burst = this.o.burst ?? 3;
    const now = (this.o.now ?? Date.now)();
    const tat = Math.max(this.tat.get(channel) ?? now, now);
    this.tat.set(channel, tat + interval);
    const at = tat - (burst - 1) * interval;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

/** chat.postMessage as the process posts it (postAtPace, SlackServer.post). */
export type PostMessage = (args: webApi.ChatPostMessageArguments) => Promise<webApi.ChatPostMessageResponse>;

/**
 * chat.postMessage once the channel's slot comes. Every post a process makes (review threads,
 * handlers' answers, drift reports, digests) goes through one pace, so none of them meets a 429
 * another one caused.
 */
export async function postAtPace(
  pace: ChannelPace | undefined,
  client: Pick<webApi.WebClient, 'chat'>,
  args: webApi.ChatPostMessageArguments,
): Promise<webApi.ChatPostMessageResponse> {
  if (pace) await pace.wait(String(args.channel));
  return client.chat.postMessage(args);
}
