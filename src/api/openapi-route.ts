import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildOpenApiDocument } from './openapi-document.js';

/** GET /api/v1/openapi.json, open to anyone: built once, from the routes `routes` collected as they were added. */
export function registerOpenApiRoute(app: FastifyInstance, routes: readonly RouteOptions[]): void {
  let doc: string | undefined;
  app.get('/api/v1/openapi.json', { config: { public: true } }, async (_request, reply) => {
    doc ??= `${JSON.stringify(buildOpenApiDocument(routes), null, 2)}\n`;
    return reply.type('application/json; charset=utf-8').send(doc);
  });
}
