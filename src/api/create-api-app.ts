import { STATUS_CODES } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance, type RouteOptions } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { checkSignedLink } from './check-signed-link.js';
import { identifyCaller } from './identify-caller.js';
import { registerDecisionRoutes } from './decision-routes.js';
import { registerIntentRoute } from './intent-route.js';
import { registerOpenApiRoute } from './openapi-route.js';
import { registerPlanPageRoute } from './plan-page-route.js';
import { registerPlanRoutes } from './plan-routes.js';
import { RateLimiter } from './rate-limiter.js';
import { sendProblem } from './send-problem.js';

/** A goal is at most 4,000 characters: 64 KiB holds any valid body with room to spare. */
export const API_BODY_LIMIT = 64 * 1024;

/** What a schema refused, in words: an unknown field is named. */
function describeInvalid(err: FastifyError): string {
  const where = err.validationContext ?? 'request';
  const first = err.validation?.[0];
  const unknown = first?.keyword === 'additionalProperties' ? first.params.additionalProperty : undefined;
  if (typeof unknown === 'string') return `${where} has an unknown field "${unknown.slice(0, 64)}"`;
  return err.message;
}

/** The HTTP API on the shared operations: bearer tokens → identities, JSON-Schema bodies, problem+json errors. */
export function createApiApp(deps: ApiDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: API_BODY_LIMIT,
    // Unknown fields are refused, not stripped; types are not coerced; nothing is filled in.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  });
  const log = deps.logger.child({ surface: 'api' });
  app.decorateRequest('identity', '');
  const limiter = new RateLimiter({
    limit: deps.ratePerMinute ?? 0,
    windowMs: 60_000,
    ...(deps.now ? { now: deps.now } : {}),
  });
  // JSON only: a text body is 415, not a string the schema then calls "not an object".
  app.removeContentTypeParser('text/plain');
  // Who did what, without headers: the bearer token never reaches a log line. Reads (clients
  // poll) at debug, changes at info.
  app.addHook('onResponse', async (request, reply) => {
    log[request.method === 'GET' ? 'debug' : 'info'](
      {
        identity: request.identity || undefined,
        method: request.method,
        url: request.url.split('?')[0],
        status: reply.statusCode,
      },
      'api request',
    );
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.public) return;
    const link = checkSignedLink(request, deps.linkSecret, (deps.now ?? Date.now)());
    if (link.kind === 'refused') return sendProblem(reply, { status: 403, title: 'Forbidden', detail: link.detail });
    const identity = link.kind === 'ok' ? link.identity : identifyCaller(request.headers.authorization, deps.tokens);
    if (!identity) {
      reply.header('www-authenticate', 'Bearer realm="infracrew"');
      return sendProblem(reply, {
        status: 401,
        title: 'Unauthorized',
        detail: 'send Authorization: Bearer <token> with a token listed in CREW_API_TOKENS',
      });
    }
    request.identity = identity;
    const rate = limiter.take(identity);
    if (!rate.ok) {
      reply.header('retry-after', String(rate.retryAfterSec));
      return sendProblem(reply, {
        status: 429,
        title: 'Too Many Requests',
        detail: `${identity} made more than ${deps.ratePerMinute} requests this minute; retry in ${rate.retryAfterSec} s`,
      });
    }
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) return sendProblem(reply, { status: 400, title: 'Bad Request', detail: describeInvalid(err) });
    const status = err.statusCode ?? 500;
    if (status === 413)
      return sendProblem(reply, {
        status,
        title: 'Content Too Large',
        detail: `the body is larger than ${API_BODY_LIMIT} bytes`,
      });
    if (status >= 400 && status < 500)
      return sendProblem(reply, {
        status,
        title: STATUS_CODES[status] ?? 'Bad Request',
        detail: err.message,
      });
    log.error({ err, method: request.method, url: request.url.split('?')[0] }, 'api request failed');
    return sendProblem(reply, {
      status: 500,
      title: 'Internal Server Error',
      detail: 'the request failed; see the crew log',
    });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      status: 404,
      title: 'Not Found',
      detail: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );

  // Every route as it is added, so the OpenAPI document describes exactly what is served.
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  registerOpenApiRoute(app, routes);
  registerPlanPageRoute(app, deps);
  registerIntentRoute(app, deps);
  registerPlanRoutes(app, deps);
  registerDecisionRoutes(app, deps);
  for (const mount of deps.mounts ?? []) mount(app);
  return app;
}
