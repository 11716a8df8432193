import { createLogger } from '../log/create-logger.js';
import { createApiApp } from './create-api-app.js';

/** The OpenAPI document's text exactly as GET /api/v1/openapi.json serves it (no crew needed: no route runs). */
export async function renderOpenApi(): Promise<string> {
  const idle = {} as never;
  const app = createApiApp({ ops: idle, plans: idle, tokens: [], logger: createLogger({ level: 'silent' }) });
  try {
    const r = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    if (r.statusCode !== 200) throw new Error(`GET /api/v1/openapi.json answered ${r.statusCode}: ${r.body}`);
    return r.body;
  } finally {
    await app.close();
  }
}
