import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointState } from './endpoint-state.js';
import { AwsError } from './query-protocol.js';
import { resolveS3Operation, runS3Operation } from './s3-operations.js';
import { decodePayload, s3ErrorBody, type S3Response } from './s3-protocol.js';

// One S3 request (REST XML, path-style): resolve the operation, record the call, pass the
// endpoint's gate (delays, rejected credentials, injected failures), run it, answer.

export interface S3Call {
  service: 's3';
  action: string;
  params: Record<string, string>;
  at: number;
  status: number;
  errorCode?: string;
}

export interface ServeS3Context {
  state: EndpointState;
  region: string;
  requestId: string;
  record(call: S3Call): void;
  /** Waits for an injected delay, then throws a rejection or injected failure, if any. */
  gate(action: string): Promise<void>;
  countCreate(action: string): void;
}

// Request headers a test may want to see on the recorded call.
const RECORDED_HEADERS = ['if-none-match', 'if-match', 'content-type', 'x-amz-sdk-checksum-algorithm'];

export async function serveS3(
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  ctx: ServeS3Context,
): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://endpoint.invalid');
  const slash = url.pathname.indexOf('/', 1);
  const bucket = decodeURIComponent(slash < 0 ? url.pathname.slice(1) : url.pathname.slice(1, slash));
  const key = slash < 0 ? '' : decodeURIComponent(url.pathname.slice(slash + 1));
  const operation = resolveS3Operation(method, bucket, key, url.searchParams);
  const params: Record<string, string> = {
    ...(bucket ? { Bucket: bucket } : {}),
    ...(key ? { Key: key } : {}),
    ...Object.fromEntries(url.searchParams),
  };
  for (const h of RECORDED_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string') params[h] = v;
  }
  const call: S3Call = { service: 's3', action: operation, params, at: Date.now(), status: 0 };
  ctx.record(call);

  const send = (r: S3Response, errorCode?: string) => {
    call.status = r.status;
    if (errorCode) call.errorCode = errorCode;
    if (res.destroyed) return;
    res.writeHead(r.status, { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': ctx.requestId, ...r.headers });
    // HEAD answers carry headers only: a HEAD error is just its status.
    res.end(method === 'HEAD' ? undefined : r.body);
  };
  try {
    await ctx.gate(operation);
    const body = decodePayload(raw, req.headers);
    const response = runS3Operation(operation, {
      method,
      bucket,
      key,
      query: url.searchParams,
      headers: req.headers,
      body,
      state: ctx.state,
      region: ctx.region,
    });
    if (method === 'PUT') ctx.countCreate(operation);
    send(response);
  } catch (err) {
    // A bug answers 400, not 500: the SDKs retry 5xx, a gap must fail fast.
    const e = err instanceof AwsError ? err : new AwsError('InternalError', String((err as Error)?.stack ?? err));
    send(
      {
        status: e.status,
        headers: { 'content-type': 'application/xml' },
        body: s3ErrorBody(e, ctx.requestId, url.pathname),
      },
      e.code,
    );
  }
}
