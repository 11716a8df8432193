import type { ArtifactType, PayloadOf } from '../../contracts/index.js';
import type { Artifact } from '../../contracts/envelope.js';
import { CONTRACT_VERSION } from '../../contracts/names.js';
import { artifactId } from '../util/new-id.js';
import type { ArtifactOn, CrewTopics, TopicTypes } from './topic-map.js';
import type { Topic } from './topics.js';

export interface ConsumeOptions {
  /** Handlers running at once for this subscription. Default 1 (in stream order). */
  concurrency?: number;
}

/**
 * What agents need from the bus: publish and subscribe, typed by the topic map. `publish`
 * takes only an artifact its topic carries; a handler gets exactly the types its topic
 * carries (a union where there are several, which the handler narrows on `type`).
 */
export interface ArtifactBus<M extends TopicTypes = CrewTopics> {
  publish<T extends Topic>(topic: T, artifact: ArtifactOn<T, M>): Promise<string>;
  consume<T extends Topic>(
    topic: T,
    group: string,
    handler: (artifact: ArtifactOn<T, M>) => Promise<void>,
    options?: ConsumeOptions,
  ): void;
}

export interface EmitOptions {
  producer: string;
  /** The artifact this one answers; also makes the id deterministic. */
  cause?: Artifact | string;
  /** Distinguishes several artifacts of one type caused by the same thing. */
  salt?: string;
  now?: Date;
}

/** Builds an envelope whose id is derived from its cause, so a re-run handler emits the same id. */
export function makeArtifact<T extends ArtifactType>(
  type: T,
  planId: string,
  payload: PayloadOf<T>,
  options: EmitOptions,
): Artifact<T> {
  const causationId = typeof options.cause === 'string' ? options.cause : options.cause?.id;
  const envelope = {
    id: artifactId(planId, type, causationId, options.salt ?? ''),
    type,
    version: CONTRACT_VERSION,
    planId,
    producer: options.producer,
    createdAt: (options.now ?? new Date()).toISOString(),
    payload,
    ...(causationId ? { causationId } : {}),
  };
  return envelope as unknown as Artifact<T>;
}
