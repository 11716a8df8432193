import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntentBody } from '../../../src/api/api-schemas.js';
import { createApiApp } from '../../../src/api/create-api-app.js';
import { buildOpenApiDocument } from '../../../src/api/openapi-document.js';
import { renderOpenApi } from '../../../src/api/render-openapi.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { ROOT } from '../../support/import-graph.js';

// GET /api/v1/openapi.json: generated from the routes the app registers and the schemas that
// validate them; docs/openapi.json is its committed copy and must match it.

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: unknown }> };
        responses: Record<string, { $ref?: string }>;
        security?: unknown[];
      }
    >
  >;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, { content: Record<string, unknown> }>;
    securitySchemes: Record<string, { type: string; scheme?: string }>;
  };
};

let served: string;
beforeAll(async () => {
  served = await renderOpenApi();
});

describe('OpenAPI document', () => {
  it('docs/openapi.json is fresh (run `npm run openapi:gen`)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'openapi.json'), 'utf8')).toBe(served);
  });

  it('is OpenAPI 3.1 with bearer security and problem+json errors on every operation', () => {
    const doc = JSON.parse(served) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.components.responses.Problem401!.content)).toEqual(['application/problem+json']);
    const ops = Object.entries(doc.paths).flatMap(([p, o]) =>
      Object.entries(o).map(([m, x]) => [`${m} ${p}`, x] as const),
    );
    expect(ops.map(([k]) => k).sort()).toEqual(
      [
        'get /api/v1/openapi.json',
        'get /api/v1/plans',
        'get /api/v1/plans/{id}',
        'get /api/v1/plans/{id}/decisions/{decisionId}',
        'get /api/v1/plans/{id}/history',
        'get /plans/{id}',
        'post /api/v1/intent',
        'post /api/v1/plans/{id}/approve',
        'post /api/v1/plans/{id}/reject',
        'post /api/v1/plans/{id}/rollback',
      ].sort(),
    );
    for (const [key, op] of ops) {
      expect(op.responses['500']?.$ref, key).toBe('#/components/responses/Problem500');
      if (key !== 'get /api/v1/openapi.json')
        expect(op.responses['401']?.$ref, key).toBe('#/components/responses/Problem401');
    }
    expect(doc.paths['/plans/{id}']!.get!.security).toEqual([{ bearer: [] }, { signedLink: [] }]);
  });

  it("uses the routes' own schemas: the intent body is IntentBody, and every schema compiles as JSON Schema 2020-12", () => {
    const doc = JSON.parse(served) as Doc;
    const body = doc.paths['/api/v1/intent']!.post!.requestBody!.content['application/json']!.schema;
    expect(body).toEqual(JSON.parse(JSON.stringify(IntentBody)));
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(doc.components.schemas))
      expect(() => ajv.compile(schema as object), name).not.toThrow();
    const accept = ajv.compile(body as object);
    expect(accept({ nl: 'Add DNS record test.local to 192.168.1.100' })).toBe(true);
    expect(accept({ nl: 'x', admin: true })).toBe(false);
  });

  it('is open without a token, as JSON', async () => {
    const app = createApiApp({
      ops: {} as never,
      plans: {} as never,
      tokens: [],
      logger: createLogger({ level: 'silent' }),
    });
    const r = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body).toBe(served);
    await app.close();
  });

  it('refuses to describe a route it has no words for', () => {
    const route = { method: 'DELETE', url: '/api/v1/plans/:id', handler: () => undefined } as RouteOptions;
    expect(() => buildOpenApiDocument([route])).toThrow(/DELETE \/api\/v1\/plans\/\{id\} has no entry in ROUTE_DOCS/);
  });
});
afterAll(() => undefined);
