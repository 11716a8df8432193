import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsEndpoint,
  AWS_ENDPOINT_ACTIONS,
  startAwsEndpoint,
} from '../../support/aws-endpoint/start-aws-endpoint.js';

// The endpoint's S3 as the AWS SDK v3 sees it: path-style REST XML, S3's error bodies,
// conditional writes, paginated listings, aws-chunked uploads, NotImplemented for the rest.

let aws: AwsEndpoint;
let s3: S3Client;
const BUCKET = 'wire-bucket';
// Signed as S3 by scope only: the endpoint reads the scope, it does not verify signatures.
const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIAENDPOINTTEST0001/20260101/us-east-1/s3/aws4_request, Signature=0';

beforeAll(async () => {
  aws = await startAwsEndpoint({ region: 'us-east-1' });
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: aws.url,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAENDPOINTTEST0001', secretAccessKey: 'endpoint-test-secret' },
  });
  aws.createBucket(BUCKET);
});
afterAll(async () => {
  s3.destroy();
  await aws.stop();
});

describe('the local endpoint speaks S3', () => {
  it('lists its S3 operations among the implemented actions', () => {
    expect(AWS_ENDPOINT_ACTIONS).toEqual(
      expect.arrayContaining(['s3:HeadBucket', 's3:ListObjectsV2', 's3:PutObject', 's3:DeleteObject']),
    );
  });

  it('stores, reads, heads and deletes objects, with ETags and S3 errors', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'dir/a b+c.json', Body: '{"a":1}' }));
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'dir/a b+c.json' }));
    expect(await got.Body?.transformToString()).toBe('{"a":1}');
    expect(got.ETag).toBe(put.ETag);
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'dir/a b+c.json' }))).ContentLength).toBe(7);

    const again = s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'dir/a b+c.json', Body: 'x', IfNoneMatch: '*' }));
    await expect(again).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'dir/a b+c.json' }));
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'dir/a b+c.json' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'nope', Key: 'k' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
    // HEAD errors are a status only, as S3's are.
    const head = await fetch(`${aws.url}/${BUCKET}/missing`, { method: 'HEAD', headers: { authorization: AUTH } });
    expect([head.status, await head.text()]).toEqual([404, '']);
  });

  it('lists in pages, rolling keys up at the delimiter', async () => {
    for (const key of ['p/1', 'p/2', 'p/sub/x', 'p/sub/y', 'p/3', 'p/z', 'q/1'])
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: BUCKET,
          Prefix: 'p/',
          Delimiter: '/',
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      seen.push(...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((c) => c.Prefix!));
      token = page.NextContinuationToken;
    } while (token);
    // The second page ends on p/sub/: the third must resume after every key under it.
    expect(seen).toEqual(['p/1', 'p/2', 'p/3', 'p/sub/', 'p/z']);
  });

  it('decodes an aws-chunked upload and ignores its trailing checksum', async () => {
    const body =
      '5;chunk-signature=00\r\nhello\r\n6;chunk-signature=00\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n';
    const res = await fetch(`${aws.url}/${BUCKET}/chunked`, {
      method: 'PUT',
      headers: {
        authorization: AUTH,
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '11',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(aws.bucket(BUCKET)?.objects.get('chunked')?.body.toString()).toBe('hello world');
  });

  it('answers an operation it does not implement with NotImplemented at once', async () => {
    const started = Date.now();
    const res = await fetch(`${aws.url}/${BUCKET}?versioning`, { headers: { authorization: AUTH } });
    expect(res.status).toBe(501);
    expect(await res.text()).toMatch(/<Error><Code>NotImplemented<\/Code><Message>.+<\/Message>.*<RequestId>/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
