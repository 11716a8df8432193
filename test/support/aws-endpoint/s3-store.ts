import type { EndpointState } from './endpoint-state.js';
import { etagOf, noSuchBucket } from './s3-protocol.js';

// Buckets and their objects, kept in the endpoint state's `s3-bucket` table (so `reset()`
// empties them and `resources('s3-bucket')` lists them).

export interface S3Object {
  key: string;
  body: Buffer;
  etag: string;
  contentType: string;
  lastModified: Date;
}

export interface S3Bucket {
  name: string;
  region: string;
  created: Date;
  objects: Map<string, S3Object>;
}

export const S3_BUCKET_TABLE = 's3-bucket';

export function createBucket(state: EndpointState, name: string, region: string): S3Bucket {
  const existing = state.get<S3Bucket>(S3_BUCKET_TABLE, name);
  if (existing) return existing;
  return state.put<S3Bucket>(S3_BUCKET_TABLE, name, { name, region, created: new Date(), objects: new Map() });
}

export function bucketOf(state: EndpointState, name: string): S3Bucket {
  const bucket = state.get<S3Bucket>(S3_BUCKET_TABLE, name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

export function putObject(bucket: S3Bucket, key: string, body: Buffer, contentType = 'binary/octet-stream'): S3Object {
  const object = { key, body, etag: etagOf(body), contentType, lastModified: new Date() };
  bucket.objects.set(key, object);
  return object;
}
