import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionResult, ServiceDefinition } from './action-context.js';
import { EC2_SERVICE } from './ec2-actions.js';
import { EndpointState } from './endpoint-state.js';
import {
  AwsError,
  credentialScope,
  decodeForm,
  ec2Body,
  ec2ErrorBody,
  invalidAction,
  jsonErrorBody,
  newRequestId,
  type Params,
  queryBody,
  queryErrorBody,
} from './query-protocol.js';
import { STS_SERVICE } from './sts-actions.js';
import { AUTOSCALING_SERVICE, runScheduledAction } from './autoscaling-actions.js';
import { failRefreshes, finishRefreshes, holdRefreshes } from './autoscaling-refresh-actions.js';
import { IAM_SERVICE } from './iam-actions.js';
import { LOGS_SERVICE } from './logs-actions.js';
import { S3_OPERATIONS } from './s3-operations.js';
import { createBucket, type S3Bucket, S3_BUCKET_TABLE } from './s3-store.js';
import { serveS3 } from './serve-s3.js';

/*
 * A local AWS endpoint for the real hashicorp/aws provider (and the AWS SDK): point
 * AWS_ENDPOINT_URL at `url` (see `env()`), and every service is answered here from memory.
 *
 *   const aws = await startAwsEndpoint({ region: 'eu-west-1' });
 *   aws.url                       http://127.0.0.1:PORT
 *   aws.env()                     AWS_ENDPOINT_URL, dummy credentials, AWS_REGION for terraform
 *   aws.calls                     every request: service, action, params, status, error code
 *   aws.createCounts()            successful creating calls by action ({ CreateVpc: 1, … })
 *   aws.resources('vpc')          records of one type (see `aws.state.summary()` for types)
 *   aws.createBucket('state')     an S3 bucket (S3 is served path-style: `/<bucket>/<key>`)
 *   aws.bucket('state')           its objects (`objects.get(key)?.body`), or undefined
 *   aws.failNext('CreateVpc', { code, message, status })   the next call of that action fails
 *   aws.rejectCredentials('ExpiredToken', msg)   every call answers 403 with that code
 *   aws.acceptCredentials()       undoes rejectCredentials
 *   aws.delay('CreateAutoScalingGroup', 30_000)  each call of that action waits first (0: off)
 *   aws.runScheduledAction(group, name)   the action runs as AWS runs it at its time (sizes set)
 *   aws.reset()                   empties state, calls, counters and injected faults
 *   aws.stop()                    closes the server (safe to call twice)
 *
 * An action the endpoint does not implement answers AWS's InvalidAction (HTTP 400) at once.
 * S3 (signing name `s3`) is REST XML, routed by method, path and query (see s3-operations.ts);
 * its calls are recorded with the operation name (`PutObject`) as action and an unknown
 * operation answers NotImplemented (HTTP 501).
 */

export interface AwsEndpointOptions {
  /** Region used when a request's credential scope names none (default eu-west-1). */
  region?: string;
  /** The endpoint's clock (default: the wall clock): a recurring scheduled action's next run is read on it. */
  now?: () => Date;
}

export interface EndpointCall {
  service: string;
  action: string;
  params: Params | Record<string, unknown>;
  /** When the request arrived (epoch milliseconds). */
  at: number;
  /** HTTP status answered; 0 while the call is in flight. */
  status: number;
  errorCode?: string;
}

export interface InjectedFailure {
  code: string;
  message: string;
  status?: number;
}

export interface AwsEndpoint {
  url: string;
  region: string;
  state: EndpointState;
  calls: EndpointCall[];
  env(): Record<string, string>;
  createCounts(): Record<string, number>;
  resources<T = Record<string, unknown>>(type: string): T[];
  createBucket(name: string): S3Bucket;
  bucket(name: string): S3Bucket | undefined;
  failNext(action: string, failure: InjectedFailure): void;
  rejectCredentials(code: string, message?: string): void;
  acceptCredentials(): void;
  delay(action: string, ms: number): void;
  runScheduledAction(group: string, name: string): void;
  /** Instance refreshes started from now on stay InProgress (as a real one does for minutes) until finished or cancelled. */
  holdRefreshes(hold: boolean): void;
  /** Ends every active instance refresh Successful, its group's instances replaced. */
  finishRefreshes(): void;
  /** Ends every active instance refresh Failed with `reason` (AWS's StatusReason). */
  failRefreshes(reason: string): void;
  reset(): void;
  stop(): Promise<void>;
}

export const AWS_ENDPOINT_SERVICES: ServiceDefinition[] = [
  STS_SERVICE,
  EC2_SERVICE,
  AUTOSCALING_SERVICE,
  IAM_SERVICE,
  LOGS_SERVICE,
];

/** Every implemented `service:Action`, e.g. `ec2:CreateVpc`, `s3:PutObject`. */
export const AWS_ENDPOINT_ACTIONS: readonly string[] = Object.freeze(
  [
    ...AWS_ENDPOINT_SERVICES.flatMap((s) => Object.keys(s.actions).map((a) => `${s.name}:${a}`)),
    ...Object.keys(S3_OPERATIONS).map((a) => `s3:${a}`),
  ].sort(),
);

// Calls that bring something into being: what a test counts to prove nothing was made twice.
const CREATING = /^(Create|Allocate|Put|Associate|Attach|Authorize|Run)/;

export async function startAwsEndpoint(options: AwsEndpointOptions = {}): Promise<AwsEndpoint> {
  const region = options.region ?? 'eu-west-1';
  const state = new EndpointState(options.now);
  const calls: EndpointCall[] = [];
  const failures = new Map<string, InjectedFailure>();
  const delays = new Map<string, number>();
  let rejection: AwsError | undefined;

  async function gate(action: string): Promise<void> {
    const wait = delays.get(action);
    if (wait) await new Promise((r) => setTimeout(r, wait));
    if (rejection) throw rejection;
    const injected = failures.get(action);
    if (injected) {
      failures.delete(action);
      throw new AwsError(injected.code, injected.message, injected.status ?? 400);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const requestId = newRequestId();
    const scope = credentialScope(req.headers.authorization);
    if (scope?.service === 's3') {
      const s3Region = scope.region;
      const record = (c: EndpointCall) => void calls.push(c);
      const countCreate = (a: string) => state.countCreate(a);
      return serveS3(req, res, Buffer.concat(chunks), {
        state,
        region: s3Region,
        requestId,
        record,
        gate,
        countCreate,
      });
    }
    const raw = Buffer.concat(chunks).toString();
    const target = req.headers['x-amz-target'];
    const json = typeof target === 'string';
    const params = json ? {} : decodeForm(raw);
    const body = json ? parseJson(raw) : {};
    const action = json ? (target.split('.')[1] ?? '') : (params.Action ?? '');
    const service = route(scope?.service, json ? target.split('.')[0] : params.Version);
    const call: EndpointCall = {
      service: service?.name ?? scope?.service ?? 'unknown',
      action,
      params: json ? body : params,
      at: Date.now(),
      status: 0,
    };
    calls.push(call);

    const send = (status: number, text: string, errorCode?: string) => {
      call.status = status;
      if (errorCode) call.errorCode = errorCode;
      if (res.destroyed) return;
      const contentType = json ? 'application/x-amz-json-1.1' : 'text/xml';
      res.writeHead(status, {
        'content-type': contentType,
        'x-amzn-RequestId': requestId,
        ...(errorCode && json ? { 'x-amzn-ErrorType': errorCode } : {}),
      });
      res.end(text);
    };
    const fail = (err: AwsError) => {
      const text =
        service?.protocol === 'json' || json
          ? jsonErrorBody(err)
          : service?.protocol === 'ec2'
            ? ec2ErrorBody(err, requestId)
            : queryErrorBody(err, service?.namespace ?? '', requestId);
      send(err.status, text, err.code);
    };

    try {
      await gate(action);
      const handler = service?.actions[action];
      if (!service || !handler) throw invalidAction(action);
      const result: ActionResult =
        handler({ params, json: body, state, region: scope?.region ?? region, requestId }) ?? {};
      if (CREATING.test(action) && !action.endsWith('Tags')) state.countCreate(action);
      if (service.protocol === 'json') send(200, JSON.stringify(result));
      else if (service.protocol === 'ec2') send(200, ec2Body(action, service.namespace, requestId, result));
      else send(200, queryBody(action, service.namespace, requestId, result));
    } catch (err) {
      // A bug here answers 400, not 500: the provider retries 5xx for minutes, a gap must fail fast.
      fail(err instanceof AwsError ? err : new AwsError('InternalFailure', String((err as Error)?.stack ?? err)));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopping: Promise<void> | undefined;

  return {
    url,
    region,
    state,
    calls,
    env: () => ({
      AWS_ENDPOINT_URL: url,
      AWS_ACCESS_KEY_ID: 'AKIAENDPOINTTEST0001',
      AWS_SECRET_ACCESS_KEY: 'endpoint-test-secret',
      AWS_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    createCounts: () => ({ ...state.createCounts }),
    resources: <T>(type: string) => state.list<T>(type),
    createBucket: (name) => createBucket(state, name, region),
    bucket: (name) => state.get<S3Bucket>(S3_BUCKET_TABLE, name),
    failNext: (action, failure) => void failures.set(action, failure),
    rejectCredentials: (code, message = 'The security token included in the request is expired') =>
      void (rejection = new AwsError(code, message, 403)),
    acceptCredentials: () => void (rejection = undefined),
    delay: (action, ms) => void (ms > 0 ? delays.set(action, ms) : delays.delete(action)),
    runScheduledAction: (group, name) => runScheduledAction(state, group, name),
    holdRefreshes: (hold) => holdRefreshes(state, hold),
    finishRefreshes: () => finishRefreshes(state),
    failRefreshes: (reason) => failRefreshes(state, reason),
    reset: () => {
      state.clear();
      calls.length = 0;
      failures.clear();
      delays.clear();
      rejection = undefined;
    },
    stop: () =>
      (stopping ??= new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      })),
  };
}

/** By the signing name when the request is signed, else by the API version it names. */
function route(signingName: string | undefined, versionOrPrefix: string | undefined): ServiceDefinition | undefined {
  return (
    AWS_ENDPOINT_SERVICES.find((s) => s.protocol === 'json' && s.namespace === versionOrPrefix) ??
    AWS_ENDPOINT_SERVICES.find((s) => s.name === signingName) ??
    AWS_ENDPOINT_SERVICES.find((s) => s.version !== undefined && s.version === versionOrPrefix)
  );
}

function parseJson(raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(raw || '{}') as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
