import type { RouteOptions } from 'fastify';
import { RESPONSE_SCHEMAS } from './api-response-schemas.js';

type SchemaName = keyof typeof RESPONSE_SCHEMAS;

interface RouteDoc {
  summary: string;
  /** Success status → what it carries: a schema name, a list of one, or HTML. */
  ok: Record<number, SchemaName | [SchemaName] | 'html' | 'openapi'>;
  /** Error statuses this route answers besides 401, 429 and 500. */
  errors: number[];
  /** Open to anyone (no token). */
  public?: boolean;
  /** Also opens with a signed, expiring link instead of a token. */
  signedLink?: boolean;
}

const VALIDATION = [400, 413, 415];

/** What each documented route does; a route under /api/v1 or /plans missing here fails the build of the document. */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'POST /api/v1/intent': {
    summary: 'Submit a goal in words; the crew plans it as the caller',
    ok: { 202: 'IntentAccepted' },
    errors: [...VALIDATION, 403],
  },
  'GET /api/v1/plans': { summary: 'Recent plans, newest first', ok: { 200: ['PlanView'] }, errors: [400] },
  'GET /api/v1/plans/{id}': {
    summary: 'One plan (as `crew status --json`)',
    ok: { 200: 'PlanView' },
    errors: [400, 404],
  },
  'GET /api/v1/plans/{id}/history': {
    summary: "The plan's state transitions",
    ok: { 200: ['Transition'] },
    errors: [400, 404],
  },
  'GET /api/v1/plans/{id}/decisions/{decisionId}': {
    summary: 'What became of one approval or rejection',
    ok: { 200: 'DecisionVerdict' },
    errors: [400, 404],
  },
  'POST /api/v1/plans/{id}/approve': {
    summary: 'Approve the reviewed plan file (another identity than the requester)',
    ok: { 202: 'DecisionAccepted' },
    errors: [...VALIDATION, 403, 404, 409],
  },
  'POST /api/v1/plans/{id}/reject': {
    summary: 'Reject the plan',
    ok: { 202: 'DecisionAccepted' },
    errors: [...VALIDATION, 403, 404, 409],
  },
  'POST /api/v1/plans/{id}/rollback': {
    summary: 'Roll an applied plan back to the version before it',
    ok: { 202: 'PlanView' },
    errors: [...VALIDATION, 403, 404, 409],
  },
  'GET /api/v1/openapi.json': { summary: 'This document', ok: { 200: 'openapi' }, errors: [], public: true },
  'GET /plans/{id}': {
    summary: 'The plan page: the whole plan as one read-only HTML page',
    ok: { 200: 'html' },
    errors: [400, 403, 404],
    signedLink: true,
  },
};

const PHRASES: Record<number, string> = {
  400: 'the request is malformed or has unknown fields; nothing changed',
  401: 'no bearer token, or one not in CREW_API_TOKENS',
  403: 'refused by the crew (four-eyes, access rules), or a signed link that is expired or altered',
  404: 'no such plan or route',
  409: 'the plan moved on, or the reviewed plan file is no longer the current one',
  413: 'the body is larger than 64 KiB',
  415: 'the body is not JSON',
  429: 'this identity made too many requests this minute (see Retry-After)',
  500: 'the request failed; see the crew log',
};

/** A TypeBox schema as plain JSON Schema (TypeBox's symbol keys dropped). */
const plain = (schema: unknown): Record<string, unknown> =>
  JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });

function okResponse(what: RouteDoc['ok'][number]): Record<string, unknown> {
  if (what === 'html') return { description: 'the page', content: { 'text/html': { schema: { type: 'string' } } } };
  if (what === 'openapi')
    return { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } };
  const schema = Array.isArray(what) ? { type: 'array', items: ref(what[0]) } : ref(what);
  return { description: 'OK', content: { 'application/json': { schema } } };
}

function parameters(schema: RouteOptions['schema']): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const [where, s] of [
    ['path', schema?.params],
    ['query', schema?.querystring],
  ] as const) {
    const js = s ? plain(s) : undefined;
    const props = (js?.properties ?? {}) as Record<string, unknown>;
    const required = new Set((js?.required ?? []) as string[]);
    for (const [name, p] of Object.entries(props))
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: p });
  }
  return out;
}

function operation(route: RouteOptions, path: string, doc: RouteDoc): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, what] of Object.entries(doc.ok)) responses[status] = okResponse(what);
  const errors = doc.public ? [...doc.errors, 500] : [...doc.errors, 401, 429, 500];
  for (const status of [...new Set(errors)].sort((a, b) => a - b))
    responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  const params = parameters(route.schema);
  return {
    operationId: `${String(route.method).toLowerCase()}${path
      .replace(/[{}]/g, '')
      .replace(/\.json$/, '')
      .replace(/(^|[/_-])(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
    summary: doc.summary,
    ...(params.length ? { parameters: params } : {}),
    ...(route.schema?.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: plain(route.schema.body) } } } }
      : {}),
    responses,
    ...(doc.public ? { security: [] } : doc.signedLink ? { security: [{ bearer: [] }, { signedLink: [] }] } : {}),
  };
}

/**
 * OpenAPI 3.1 for the routes the app registered, from the very schemas that validate them.
 * Only /api/v1 and /plans routes are described; HEAD twins of GET routes are left out.
 */
export function buildOpenApiDocument(routes: readonly RouteOptions[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const methods = ([] as string[]).concat(route.method).filter((m) => m !== 'HEAD');
    if (!/^\/(api\/v1|plans)\//.test(route.url)) continue;
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    for (const method of methods) {
      const doc = ROUTE_DOCS[`${method} ${path}`];
      if (!doc) throw new Error(`route ${method} ${path} has no entry in ROUTE_DOCS (src/api/openapi-document.ts)`);
      (paths[path] ??= {})[method.toLowerCase()] = operation({ ...route, method }, path, doc);
    }
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const problemResponses = Object.fromEntries(
    Object.entries(PHRASES).map(([status, description]) => [
      `Problem${status}`,
      { description, content: { 'application/problem+json': { schema: ref('Problem') } } },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'infracrew HTTP API',
      version: '1',
      description:
        'Goals in words become reviewed Terraform plans; a different identity approves. The same operations, approval rules and audit as Slack and the CLI.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths: sortedPaths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a token whose sha256 is listed in CREW_API_TOKENS' },
        signedLink: {
          type: 'apiKey',
          in: 'query',
          name: 'sig',
          description:
            'HMAC-SHA256 (CREW_LINK_SECRET) over the plan id and `expires` (unix seconds), base64url; expired or altered: 403',
        },
      },
      schemas: Object.fromEntries(Object.entries(RESPONSE_SCHEMAS).map(([k, v]) => [k, plain(v)])),
      responses: problemResponses,
    },
  };
}
