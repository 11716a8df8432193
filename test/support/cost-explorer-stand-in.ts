import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for Cost Explorer's JSON 1.1 protocol: `POST /` with
// `X-Amz-Target: AWSInsightsIndexService.<Operation>` and `application/x-amz-json-1.1` bodies;
// errors are HTTP 400 with `{"__type": "<Code>", "message": …}` and `x-amzn-ErrorType`.

export type CostExplorerMode =
  | { kind: 'costs'; byStack: Record<string, number>; untagged?: number; pageSize?: number }
  | { kind: 'error'; status: number; code: string; message: string };

export interface CostExplorerCall {
  target: string;
  contentType: string;
  authorization: string;
  body: Record<string, unknown>;
}

export interface CostExplorerStandIn {
  url: string;
  calls: CostExplorerCall[];
  set(mode: CostExplorerMode): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export async function startCostExplorerStandIn(): Promise<CostExplorerStandIn> {
  let mode: CostExplorerMode = { kind: 'costs', byStack: {} };
  const calls: CostExplorerCall[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const contentType = String(req.headers['content-type'] ?? '');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        return send(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
      }
      calls.push({ target, contentType, authorization: String(req.headers.authorization ?? ''), body });
      if (req.method !== 'POST' || req.url !== '/' || !contentType.startsWith('application/x-amz-json-1.1'))
        return send(res, 400, { __type: 'SerializationException', message: 'expected POST / with JSON 1.1' });
      if (target !== 'AWSInsightsIndexService.GetCostAndUsage')
        return send(res, 400, { __type: 'UnknownOperationException', message: `unknown operation ${target}` });
      if (mode.kind === 'error')
        return send(res, mode.status, { __type: mode.code, message: mode.message }, { 'x-amzn-errortype': mode.code });
      const groupBy = (body.GroupBy as Array<{ Type: string; Key: string }> | undefined)?.[0];
      const tag = groupBy?.Type === 'TAG' ? groupBy.Key : '';
      const period = body.TimePeriod as { Start: string; End: string };
      const groups = [
        ...Object.entries(mode.byStack).map(([stack, amount]) => ({ stack, amount })),
        ...(mode.untagged !== undefined ? [{ stack: '', amount: mode.untagged }] : []),
      ].map((g) => ({
        Keys: [`${tag}$${g.stack}`],
        Metrics: { UnblendedCost: { Amount: g.amount.toFixed(10), Unit: 'USD' } },
      }));
      const size = mode.pageSize ?? groups.length;
      const start = Number(body.NextPageToken ?? 0);
      const page = groups.slice(start, start + Math.max(size, 1));
      const next = start + page.length < groups.length ? String(start + page.length) : undefined;
      return send(res, 200, {
        GroupDefinitions: [{ Type: 'TAG', Key: tag }],
        ResultsByTime: [{ TimePeriod: period, Total: {}, Groups: page, Estimated: true }],
        DimensionValueAttributes: [],
        ...(next ? { NextPageToken: next } : {}),
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    set: (m) => {
      mode = m;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
