import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBackend } from '../../../src/cli/doctor/check-backend.js';
import type { AwsClientOptions } from '../../../src/config/read-aws-settings.js';
import { type AwsEndpoint, startAwsEndpoint } from '../../support/aws-endpoint/start-aws-endpoint.js';

// `crew doctor`'s s3 backend check over the wire, against the local endpoint's S3: what a
// HeadBucket answers (a bodiless HEAD) and what the check makes of it.

let aws: AwsEndpoint;
let options: AwsClientOptions;

beforeAll(async () => {
  aws = await startAwsEndpoint({ region: 'us-east-1' });
  options = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIADOCTORTEST000001', secretAccessKey: 'doctor-test-secret' },
  };
});
afterAll(() => aws.stop());

const s3 = (bucket: string) => ({ kind: 's3' as const, bucket, region: 'us-east-1', endpoint: aws.url });

describe('crew doctor: the s3 backend check', () => {
  it('passes for an existing bucket', async () => {
    aws.createBucket('crew-state');
    expect(await checkBackend(s3('crew-state'), options)).toEqual({
      name: 'backend',
      status: 'ok',
      detail: 's3 backend: bucket crew-state in us-east-1 is reachable',
    });
    expect(aws.calls.at(-1)).toMatchObject({ service: 's3', action: 'HeadBucket', status: 200 });
  });

  it('fails with NotFound for a missing bucket', async () => {
    const check = await checkBackend(s3('no-such-state'), options);
    expect(check).toMatchObject({ status: 'fail', fix: expect.stringMatching(/create the bucket/) });
    expect(check.detail).toBe(
      's3 backend: bucket no-such-state (CREW_TF_S3_BUCKET) in us-east-1: NotFound: no such bucket',
    );
    expect(aws.calls.at(-1)).toMatchObject({ action: 'HeadBucket', status: 404, errorCode: 'NoSuchBucket' });
  });

  it('names the rejection when the credentials are refused, though the HEAD answer has no body', async () => {
    aws.rejectCredentials('ExpiredToken', 'The provided token has expired.');
    try {
      const check = await checkBackend(s3('crew-state'), options);
      expect(check.status).toBe('fail');
      expect(check.detail).toBe(
        's3 backend: bucket crew-state (CREW_TF_S3_BUCKET) in us-east-1: ExpiredToken: The provided token has expired.',
      );
      expect(aws.calls.slice(-2).map((c) => [c.action, c.status])).toEqual([
        ['HeadBucket', 403],
        ['ListObjectsV2', 403],
      ]);
    } finally {
      aws.acceptCredentials();
    }
  });
});
