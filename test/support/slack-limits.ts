// Slack's message budgets and Web API rate limits as the stand-in enforces them
// (platform-facts.md): what Slack answers, with the same error codes and messages.

export interface SlackLimits {
  /** chat.postMessage per channel: about one a second, short bursts tolerated. */
  postMessage: { perSecond: number; burst: number };
  /** Calls per minute by method (Web API tiers: 1 → 1+, 2 → 20+, 3 → 50+, 4 → 100+). */
  perMinute: Record<string, number>;
  /** Characters of blocks JSON at which Slack answers msg_blocks_too_long in practice. */
  blocksJsonChars: number;
  /** Message text beyond this is msg_too_long. */
  textChars: number;
}

export const SLACK_LIMITS: SlackLimits = {
  postMessage: { perSecond: 1, burst: 4 },
  perMinute: {
    'chat.update': 50,
    'chat.postEphemeral': 100,
    'views.publish': 100,
    'files.getUploadURLExternal': 100,
    'files.completeUploadExternal': 100,
    'usergroups.users.list': 20,
  },
  blocksJsonChars: 13_000,
  textChars: 40_000,
};

type Problem = string;

const at = (path: string) => ` [json-pointer:${path}]`;
const tooLong = (max: number, path: string): Problem => `[ERROR] must be less than ${max + 1} characters${at(path)}`;
const tooMany = (max: number, path: string): Problem => `[ERROR] no more than ${max} items allowed${at(path)}`;

function checkText(t: unknown, max: number, path: string, out: Problem[]): void {
  const text = (t as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || text.length === 0)
    out.push(`[ERROR] must be more than 0 characters${at(`${path}/text`)}`);
  else if (text.length > max) out.push(tooLong(max, `${path}/text`));
}

function checkElement(e: Record<string, unknown>, path: string, out: Problem[]): void {
  if (e.type === 'button') {
    checkText(e.text, 75, `${path}/text`, out);
    if (typeof e.value === 'string' && e.value.length > 2000) out.push(tooLong(2000, `${path}/value`));
    if (typeof e.url === 'string' && e.url.length > 3000) out.push(tooLong(3000, `${path}/url`));
    if (typeof e.action_id === 'string' && e.action_id.length > 255) out.push(tooLong(255, `${path}/action_id`));
  }
}

/** Block Kit's limits on message blocks: what Slack lists under invalid_blocks. */
export function blockProblems(blocks: unknown): Problem[] {
  if (!Array.isArray(blocks)) return ['[ERROR] must be an array [json-pointer:/blocks]'];
  const out: Problem[] = [];
  if (blocks.length > 50) out.push(tooMany(50, '/blocks'));
  const ids = new Set<string>();
  blocks.forEach((raw, i) => {
    const b = raw as Record<string, unknown>;
    const p = `/blocks/${i}`;
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > 255) out.push(tooLong(255, `${p}/block_id`));
      if (ids.has(b.block_id)) out.push(`[ERROR] duplicate block_id${at(`${p}/block_id`)}`);
      ids.add(b.block_id);
    }
    switch (b.type) {
      case 'section': {
        const fields = b.fields as unknown[] | undefined;
        if (b.text === undefined && !fields) out.push(`[ERROR] must provide either text or fields${at(p)}`);
        if (b.text !== undefined) checkText(b.text, 3000, `${p}/text`, out);
        if (fields) {
          if (fields.length > 10) out.push(tooMany(10, `${p}/fields`));
          fields.forEach((f, j) => checkText(f, 2000, `${p}/fields/${j}`, out));
        }
        if (b.accessory) checkElement(b.accessory as Record<string, unknown>, `${p}/accessory`, out);
        break;
      }
      case 'header':
        checkText(b.text, 150, `${p}/text`, out);
        break;
      case 'context': {
        const els = (b.elements as Array<Record<string, unknown>> | undefined) ?? [];
        if (els.length === 0 || els.length > 10) out.push(tooMany(10, `${p}/elements`));
        els.forEach((e, j) => {
          if (e.type !== 'image') checkText(e, 3000, `${p}/elements/${j}`, out);
        });
        break;
      }
      case 'actions': {
        const els = (b.elements as Array<Record<string, unknown>> | undefined) ?? [];
        if (els.length === 0 || els.length > 25) out.push(tooMany(25, `${p}/elements`));
        els.forEach((e, j) => checkElement(e, `${p}/elements/${j}`, out));
        break;
      }
      case 'divider':
      case 'image':
      case 'rich_text':
      case 'file':
      case 'input':
      case 'video':
        break;
      default:
        out.push(`[ERROR] unsupported type: ${String(b.type)}${at(`${p}/type`)}`);
    }
  });
  return out;
}

/** A token bucket: `take` answers 0 when a call may go now, else the seconds to wait. */
export class Bucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.perSecond;
  }
}
