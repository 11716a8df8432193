import type { Static, TSchema } from '@sinclair/typebox';
import { z } from 'zod';

/**
 * The SDK takes zod schemas; ours are JSON Schema (TypeBox). Converted once, at registration,
 * so the schema a client lists is the one its arguments are checked against.
 */
export function toZod<T extends TSchema>(schema: T): z.ZodType<Static<T>> {
  // TypeBox marks its schemas with symbol keys; the JSON round trip leaves plain JSON Schema.
  return z.fromJSONSchema(JSON.parse(JSON.stringify(schema)) as Parameters<typeof z.fromJSONSchema>[0]) as z.ZodType<
    Static<T>
  >;
}
