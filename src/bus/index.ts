export { TOPICS, isTopic, streamKey, deadLetterKey, doneKey, livenessKey, type Topic } from './topics.js';
export { RedisBus, type RedisBusOptions, type ConsumeOptions, type DeadLetter, type Handler } from './redis-bus.js';
export { streamStats, type StreamStats, type GroupStats } from './stream-stats.js';
