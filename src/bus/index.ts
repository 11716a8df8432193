export { TOPICS, isTopic, type Topic } from './topics.js';
export { streamKey, deadLetterKey, doneKey, livenessKey } from '../redis/keys.js';
export { RedisBus, type RedisBusOptions, type ConsumeOptions, type DeadLetter, type Handler } from './redis-bus.js';
export { streamStats, type StreamStats, type GroupStats } from './stream-stats.js';
