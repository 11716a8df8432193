import { accessSync, constants, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { AwsClientOptions } from '../../config/read-aws-settings.js';
import { describeAwsError } from './describe-aws-error.js';
import { fail, ok, type DoctorBackend, type DoctorCheck } from './doctor-types.js';

const TIMEOUT_MS = 5_000;

/** Host and port of a libpq connection string, URL (`postgres://…`) or key=value form; never the password. */
export function pgAddress(conn: string): { host: string; port: number } | undefined {
  if (/^postgres(?:ql)?:\/\//i.test(conn)) {
    try {
      const url = new URL(conn);
      return { host: url.hostname || 'localhost', port: url.port ? Number(url.port) : 5432 };
    } catch {
      return undefined;
    }
  }
  const pairs = new Map(
    [...conn.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)].map((m) => [m[1]!, m[2]!.replace(/^'|'$/g, '')]),
  );
  if (pairs.size === 0) return undefined;
  return { host: pairs.get('host') ?? 'localhost', port: Number(pairs.get('port') ?? 5432) };
}

function reachable(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: TIMEOUT_MS });
    const done = (problem?: string) => {
      socket.destroy();
      resolve(problem);
    };
    socket.once('connect', () => done());
    socket.once('timeout', () => done(`no answer within ${TIMEOUT_MS / 1000} s`));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

/** The state backend is reachable: a writable directory, a PostgreSQL server, an S3 bucket. */
export async function checkBackend(backend: DoctorBackend, aws: AwsClientOptions): Promise<DoctorCheck> {
  const name = 'backend';
  if (backend.kind === 'local') {
    try {
      mkdirSync(backend.dir, { recursive: true });
      accessSync(backend.dir, constants.W_OK);
      return ok(
        name,
        `local state files under ${backend.dir} (one machine only: use CREW_TF_BACKEND=s3 or pg to share)`,
      );
    } catch (err) {
      return fail(
        name,
        `local state directory ${backend.dir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        'set CREW_DATA_DIR to a writable directory',
      );
    }
  }
  if (backend.kind === 'pg') {
    const address = pgAddress(backend.connection);
    if (!address)
      return fail(name, 'CREW_TF_PG_CONN is not a PostgreSQL connection string', 'use postgres://user@host:5432/db');
    const problem = await reachable(address.host, address.port);
    return problem
      ? fail(
          name,
          `PostgreSQL at ${address.host}:${address.port} (CREW_TF_PG_CONN): ${problem}`,
          'start the server or fix CREW_TF_PG_CONN',
        )
      : ok(name, `pg backend: PostgreSQL answers at ${address.host}:${address.port} (one schema per stack)`);
  }
  const client = new S3Client({
    region: backend.region,
    maxAttempts: 1,
    ...(aws.credentials ? { credentials: { ...aws.credentials } } : {}),
    ...(backend.endpoint ? { endpoint: backend.endpoint, forcePathStyle: true } : {}),
  });
  try {
    await client.send(new HeadBucketCommand({ Bucket: backend.bucket }));
    return ok(name, `s3 backend: bucket ${backend.bucket} in ${backend.region} is reachable`);
  } catch (err) {
    const why = await explainHeadFailure(client, backend.bucket, err);
    return fail(
      name,
      `s3 backend: bucket ${backend.bucket} (CREW_TF_S3_BUCKET) in ${backend.region}: ${why}`,
      'create the bucket or fix CREW_TF_S3_BUCKET / CREW_TF_S3_REGION, and let the credentials read it',
    );
  } finally {
    client.destroy();
  }
}

/**
 * S3 answers a failed HEAD with its status only, so a rejected key (ExpiredToken,
 * InvalidAccessKeyId, SignatureDoesNotMatch) looks like any 403 or 400. A listing of the same
 * bucket, which the backend needs anyway, fails with the error code in its body.
 */
async function explainHeadFailure(client: S3Client, bucket: string, headError: unknown): Promise<string> {
  const status = (headError as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === 404 || status === undefined) return describeAwsError(headError);
  try {
    await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
    return describeAwsError(headError);
  } catch (listError) {
    return describeAwsError(listError);
  }
}
