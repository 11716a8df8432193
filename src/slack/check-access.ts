import type { SlackConfig } from '../config/read-slack-settings.js';

// Pure checks of who may do what, from where. Each returns a refusal for the person or undefined.

export function checkChannel(
  config: Pick<SlackConfig, 'allowedChannels'>,
  channel: string | undefined,
): string | undefined {
  if (config.allowedChannels.length === 0) return undefined;
  if (channel && config.allowedChannels.includes(channel)) return undefined;
  return `infracrew does not take commands in this channel; use ${config.allowedChannels.map((c) => `<#${c}>`).join(', ')}`;
}

export function checkRequester(config: Pick<SlackConfig, 'requesters'>, user: string): string | undefined {
  if (config.requesters.length === 0 || config.requesters.includes(user)) return undefined;
  return `<@${user}> may not request plans here (CREW_REQUESTERS); ask an admin to add you`;
}

/** Slack user ids look like U… or W…; anything else (atlas, forge, a CLI login) is shown as is. */
export function mention(who: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(who) ? `<@${who}>` : who;
}
