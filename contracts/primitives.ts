import { Type } from '@sinclair/typebox';

// Building blocks shared by the artifact schemas.

export const Str = (max = 2000) => Type.String({ maxLength: max });
export const Sha256 = Type.String({ pattern: '^[a-f0-9]{64}$' });
