import type { IncomingHttpHeaders } from 'node:http';
import type { EndpointState } from './endpoint-state.js';
import { listObjectsV2 } from './s3-list-objects.js';
import { noSuchKey, notImplemented, preconditionFailed, type S3Response } from './s3-protocol.js';
import { bucketOf, createBucket, putObject, type S3Object } from './s3-store.js';

// S3 operations, path-style (`/<bucket>/<key>`): resolved from the method, the path and the
// query, then run against the store. Anything else answers NotImplemented at once.

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  state: EndpointState;
  region: string;
}

type S3Handler = (r: S3Request) => S3Response;

// Query keys every operation tolerates: the SDKs add `x-id=<Operation>` to each request.
const TOLERATED = new Set(['x-id']);
const LIST_QUERY = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
]);

export const S3_OPERATIONS: Record<string, S3Handler> = {
  HeadBucket: ({ state, bucket }) => ({
    status: 200,
    headers: { 'x-amz-bucket-region': bucketOf(state, bucket).region },
  }),
  CreateBucket: ({ state, bucket, region }) => {
    createBucket(state, bucket, region);
    return { status: 200, headers: { location: `/${bucket}` } };
  },
  ListObjectsV2: ({ state, bucket, query }) => listObjectsV2(bucketOf(state, bucket), query),
  GetObject: (r) => {
    const object = found(r);
    return { status: 200, headers: objectHeaders(object), body: object.body };
  },
  HeadObject: (r) => ({ status: 200, headers: objectHeaders(found(r)) }),
  PutObject: ({ state, bucket, key, headers, body }) => {
    const b = bucketOf(state, bucket);
    const existing = b.objects.get(key);
    // Conditional writes: how Terraform's S3 lock file (use_lockfile) is taken atomically.
    if (headers['if-none-match'] === '*' && existing) throw preconditionFailed();
    const ifMatch = headers['if-match'];
    if (ifMatch !== undefined && (!existing || (ifMatch !== '*' && ifMatch !== existing.etag))) {
      if (!existing) throw noSuchKey();
      throw preconditionFailed();
    }
    const contentType = headers['content-type'];
    const object = putObject(b, key, body, contentType);
    return { status: 200, headers: { etag: object.etag } };
  },
  DeleteObject: ({ state, bucket, key }) => {
    bucketOf(state, bucket).objects.delete(key);
    return { status: 204 };
  },
};

/** The operation a request names (`PutObject`), or a description of what it asked (`GET /bucket?acl`). */
export function resolveS3Operation(method: string, bucket: string, key: string, query: URLSearchParams): string {
  const keys = [...query.keys()].filter((k) => !TOLERATED.has(k));
  const plain = keys.length === 0;
  if (!bucket) return method === 'GET' ? 'ListBuckets' : `${method} /`;
  if (!key) {
    if (method === 'HEAD' && plain) return 'HeadBucket';
    if (method === 'PUT' && plain) return 'CreateBucket';
    if (method === 'GET' && query.get('list-type') === '2' && keys.every((k) => LIST_QUERY.has(k)))
      return 'ListObjectsV2';
    if (method === 'GET' && keys.every((k) => LIST_QUERY.has(k))) return 'ListObjects';
    return `${method} /bucket?${keys.join('&')}`;
  }
  if (!plain) return `${method} /bucket/key?${keys.join('&')}`;
  return (
    { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject', DELETE: 'DeleteObject' }[method] ??
    `${method} /bucket/key`
  );
}

export function runS3Operation(operation: string, r: S3Request): S3Response {
  const handler = S3_OPERATIONS[operation];
  if (!handler) throw notImplemented(operation);
  if (operation === 'PutObject' && r.headers['x-amz-copy-source'] !== undefined) throw notImplemented('CopyObject');
  return handler(r);
}

function found({ state, bucket, key }: S3Request): S3Object {
  const object = bucketOf(state, bucket).objects.get(key);
  if (!object) throw noSuchKey();
  return object;
}

function objectHeaders(o: S3Object): Record<string, string> {
  return {
    etag: o.etag,
    'content-type': o.contentType,
    'content-length': String(o.body.length),
    'last-modified': o.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
  };
}
