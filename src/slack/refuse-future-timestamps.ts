import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../log/create-logger.js';

/** Slack's replay window: Bolt refuses requests stamped earlier than this; we refuse later ones too. */
export const REPLAY_WINDOW_SEC = 5 * 60;

/** Why a request's `X-Slack-Request-Timestamp` lies too far in the future, or undefined. */
export function checkRequestTimestamp(header: string | string[] | undefined, nowMs: number): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  // Missing or malformed stamps are Bolt's to refuse (it checks the signature over them).
  if (raw === undefined || !/^\d{1,12}$/.test(raw)) return undefined;
  const ahead = Number(raw) - Math.floor(nowMs / 1000);
  return ahead > REPLAY_WINDOW_SEC
    ? `x-slack-request-timestamp is ${ahead} s in the future (more than ${REPLAY_WINDOW_SEC} s)`
    : undefined;
}

/**
 * Bolt's receiver rejects stale timestamps but accepts any future one, so a captured request
 * signed with a future stamp could be replayed for as long as that stamp stays "fresh". This
 * answers such requests 401 before Bolt reads the body, so no handler runs.
 */
export function refuseFutureTimestamps(receiver: HTTPReceiver, now: () => Date, logger: Logger): void {
  const next = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const refusal = checkRequestTimestamp(req.headers['x-slack-request-timestamp'], now().getTime());
    if (!refusal) {
      next(req, res);
      return;
    }
    logger.warn({ url: req.url }, `request refused: ${refusal}`);
    req.resume();
    res.writeHead(401).end();
  };
}
