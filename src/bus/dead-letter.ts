import type { Redis } from 'ioredis';
import { DEAD_LETTER } from '../redis/lua-scripts.js';
import { runScript } from '../redis/run-script.js';
import type { Topic } from './topics.js';

/** What the dead-letter stream records about an entry that could not be handled. */
export interface DeadLetter {
  topic: Topic;
  group: string;
  entryId: string;
  artifactId?: string;
  planId?: string;
  reason: string;
  deliveries: number;
  raw: string;
}

/**
 * Moves an entry to the dead-letter stream and acks it, atomically. Returns false when the
 * entry was not pending any more (someone else settled it), so callers notify only once.
 */
export async function moveToDeadLetter(
  redis: Redis,
  keys: { stream: string; dead: string },
  letter: DeadLetter,
  maxLen: number,
): Promise<boolean> {
  const fields: string[] = [
    'topic',
    letter.topic,
    'group',
    letter.group,
    'entryId',
    letter.entryId,
    'reason',
    letter.reason,
    'deliveries',
    String(letter.deliveries),
    'raw',
    letter.raw,
  ];
  if (letter.artifactId !== undefined) fields.push('artifactId', letter.artifactId);
  if (letter.planId !== undefined) fields.push('planId', letter.planId);
  const id = await runScript(
    redis,
    DEAD_LETTER,
    [keys.stream, keys.dead],
    [letter.group, letter.entryId, maxLen, ...fields],
  );
  return typeof id === 'string';
}
