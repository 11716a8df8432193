import type { ArtifactType, PayloadOf } from '../../contracts/index.js';
import type { Artifact } from '../../contracts/envelope.js';
import { CONTRACT_VERSION } from '../../contracts/envelope.js';
import { artifactId } from '../util/new-id.js';
import type { Topic } from './topics.js';

/** What agents need from the bus: publish and subscribe. The Redis bus implements it. */
export interface ArtifactBus {
  publish(topic: Topic, artifact: Artifact): Promise<string>;
  consume(topic: Topic, group: string, handler: (artifact: Artifact) => Promise<void>, options?: { concurrency?: number }): void;
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
export function makeArtifact<T extends ArtifactType>(type: T, planId: string, payload: PayloadOf<T>, options: EmitOptions): Artifact<T> {
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
