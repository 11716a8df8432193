export { TOPICS, isTopic, type Topic } from './topics.js';
export { streamKey, deadLetterKey, doneKey, livenessKey } from '../redis/keys.js';
export { RedisBus, type RedisBusOptions, type ConsumeOptions, type DeadLetter, type Handler } from './redis-bus.js';
export { streamStats, type StreamStats, type GroupStats } from './stream-stats.js';
export {
  TOPIC_MAP,
  type ArtifactOn,
  type CarriedBy,
  type CrewTopics,
  type TopicRoute,
  type TopicTypes,
} from './topic-map.js';
export { makeArtifact, type ArtifactBus, type EmitOptions } from './artifact-bus.js';
