import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server needs from CrewMetrics; a narrow type keeps the server testable alone. */
export interface MetricsSource {
  metrics(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Loopback by default; in Kubernetes set 0.0.0.0 so Prometheus can reach it. */
  host?: string;
  metrics: MetricsSource;
}

export interface MetricsServer {
  port: number;
  /** Stops listening and drops idle keep-alive connections. Safe to call twice. */
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse, metrics: MetricsSource): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return reply(res, 405, 'text/plain', 'method not allowed\n');
  }
  if (path === '/healthz') return reply(res, 200, 'text/plain', 'ok\n');
  if (path !== '/metrics') return reply(res, 404, 'text/plain', 'not found: try /metrics or /healthz\n');
  try {
    reply(res, 200, metrics.contentType, await metrics.metrics());
  } catch (err) {
    // The cause goes nowhere but the status line: a scrape must not become a leak.
    reply(res, 500, 'text/plain', `metrics failed: ${err instanceof Error ? err.name : 'error'}\n`);
  }
}

/** Serves GET /metrics (Prometheus text) and GET /healthz on node:http. */
export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => void handle(req, res, options.metrics));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      let closing: Promise<void> | undefined;
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          });
          return closing;
        },
      });
    });
  });
}
