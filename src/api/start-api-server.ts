import type { ApiDeps } from './api-deps.js';
import { createApiApp } from './create-api-app.js';

export interface ApiServer {
  port: number;
  host: string;
  close(): Promise<void>;
}

export interface StartApiServerOptions extends ApiDeps {
  port: number;
  host: string;
}

/** Listens until closed; `close()` stops taking requests, lets in-flight ones finish, and is safe twice. */
export async function startApiServer(o: StartApiServerOptions): Promise<ApiServer> {
  const app = createApiApp(o);
  await app.listen({ port: o.port, host: o.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  if (o.tokens.length === 0)
    o.logger.warn('the HTTP API has no tokens (CREW_API_TOKENS): every request is refused with 401');
  let closing: Promise<void> | undefined;
  return {
    port,
    host: o.host,
    close: () => (closing ??= app.close()),
  };
}
