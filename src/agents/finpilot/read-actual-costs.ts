import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import { DEFAULT_AWS_MAX_ATTEMPTS, type AwsClientOptions } from '../../config/read-aws-settings.js';
import { errorMessage } from '../../errors.js';

/** The tag every stack's resources carry (`Stack = <name>`), activated as a cost allocation tag. */
export const STACK_TAG = 'Stack';

export type ActualCosts =
  | { ok: true; from: string; to: string; byStack: Record<string, number>; untaggedUsd: number }
  | { ok: false; reason: string };

/** Cost Explorer lives in us-east-1 whatever region the stacks are in. */
export function createCostExplorerClient(o: AwsClientOptions): CostExplorerClient {
  return new CostExplorerClient({
    region: 'us-east-1',
    maxAttempts: o.maxAttempts ?? DEFAULT_AWS_MAX_ATTEMPTS,
    ...(o.credentials ? { credentials: { ...o.credentials } } : {}),
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
  });
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Why actuals are missing, in words with no credentials, account ids or request bodies. */
function explain(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: string;
    $metadata?: { attempts?: number };
  };
  const code = e.name ?? 'Error';
  if (code === 'ThrottlingException' || code === 'LimitExceededException')
    return `Cost Explorer throttled the request (${code}) after ${e.$metadata?.attempts ?? 1} attempt(s); it allows a few requests per second and charges per request, so the next digest tries again`;
  if (code === 'DataUnavailableException')
    return 'Cost Explorer has no data for this period yet (DataUnavailableException)';
  if (code === 'AccessDeniedException' || code === 'UnrecognizedClientException')
    return `Cost Explorer refused the crew's credentials (${code}): allow ce:GetCostAndUsage`;
  if (code === 'CredentialsProviderError') return 'no AWS credentials were found for Cost Explorer';
  // The SDK's message for an unknown error may echo the endpoint, never a secret; keep it short.
  const message = errorMessage(err).replace(/\s+/g, ' ').slice(0, 160);
  return `Cost Explorer call failed (${code}): ${message}`;
}

/**
 * Unblended cost per stack from Cost Explorer, `GetCostAndUsage` grouped by the stack tag, from
 * `from` (inclusive) to `to` (exclusive), days in UTC. Never throws: a failure is the reason.
 */
export async function readActualCosts(
  client: Pick<CostExplorerClient, 'send'>,
  o: { from: Date; to: Date; tagKey?: string },
): Promise<ActualCosts> {
  const tag = o.tagKey ?? STACK_TAG;
  const from = day(o.from);
  // End is exclusive and must be after Start.
  const to = day(o.to) > from ? day(o.to) : day(new Date(o.from.getTime() + 86_400_000));
  const byStack: Record<string, number> = {};
  let untaggedUsd = 0;
  let token: string | undefined;
  try {
    for (let page = 0; page < 20; page++) {
      const out: GetCostAndUsageCommandOutput = await client.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: from, End: to },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'TAG', Key: tag }],
          ...(token ? { NextPageToken: token } : {}),
        }),
      );
      for (const r of out.ResultsByTime ?? [])
        for (const g of r.Groups ?? []) {
          const key = g.Keys?.[0] ?? '';
          const amount = Number(g.Metrics?.UnblendedCost?.Amount ?? 0);
          if (!Number.isFinite(amount)) continue;
          // Keys read `Stack$<value>`; an empty value is spend without the tag.
          const value = key.startsWith(`${tag}$`) ? key.slice(tag.length + 1) : key;
          if (value === '') untaggedUsd += amount;
          else byStack[value] = (byStack[value] ?? 0) + amount;
        }
      token = out.NextPageToken;
      if (!token) break;
    }
  } catch (err) {
    return { ok: false, reason: explain(err) };
  }
  const round2 = (n: number) => Math.round(n * 100) / 100;
  return {
    ok: true,
    from,
    to,
    byStack: Object.fromEntries(Object.entries(byStack).map(([k, v]) => [k, round2(v)])),
    untaggedUsd: round2(untaggedUsd),
  };
}

/**
 * The digest's `actuals` when AWS is configured (credentials, or an endpoint such as a local
 * stand-in); undefined otherwise, and the digest then has no actuals section.
 */
export function costExplorerActuals(aws: {
  client: AwsClientOptions;
  hasCredentials: boolean;
}): ((window: { from: Date; to: Date }) => Promise<ActualCosts>) | undefined {
  if (!aws.hasCredentials && !aws.client.endpoint) return undefined;
  return async (window) => {
    const client = createCostExplorerClient(aws.client);
    try {
      return await readActualCosts(client, window);
    } finally {
      client.destroy();
    }
  };
}
