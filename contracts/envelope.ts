import { Type, type Static } from '@sinclair/typebox';
import { ARTIFACT_TYPES, type ArtifactType, type PayloadOf } from './artifacts.js';
import { CONTRACT_VERSION } from './names.js';

export { CONTRACT_VERSION };

export const Envelope = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9:_.-]{7,127}$' }),
    type: Type.Union(ARTIFACT_TYPES.map((t) => Type.Literal(t))),
    version: Type.Literal(CONTRACT_VERSION),
    planId: Type.String({ pattern: '^[a-z0-9-]{4,64}$' }),
    causationId: Type.Optional(Type.String({ maxLength: 128 })),
    producer: Type.String({ minLength: 1, maxLength: 64 }),
    createdAt: Type.String({ format: 'date-time' }),
    payload: Type.Unknown(),
  },
  { additionalProperties: false },
);

export type EnvelopeBase = Static<typeof Envelope>;

/** A validated artifact: the envelope with its payload typed by `type`. */
export type Artifact<T extends ArtifactType = ArtifactType> = {
  [K in T]: Omit<EnvelopeBase, 'type' | 'payload'> & { type: K; payload: PayloadOf<K> };
}[T];
