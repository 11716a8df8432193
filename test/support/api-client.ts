import { createHash } from 'node:crypto';
import { freePort } from './redis-server.js';
import { spawnCrew, type RunningCrew } from './run-crew.js';
import { waitFor } from './wait-for.js';

export interface ApiAnswer {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

export interface CrewApi {
  /** http://127.0.0.1:PORT/api/v1 */
  base: string;
  process: RunningCrew;
  call(who: string, method: string, path: string, body?: unknown): Promise<ApiAnswer>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The real `crew api` process for an e2e test, with one bearer token per identity, answering once
 * it refuses an unauthenticated request. It outlives run-crew's two-minute default (ten minutes).
 */
export async function startCrewApi(env: Record<string, string>, tokens: Record<string, string>): Promise<CrewApi> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/api/v1`;
  const process = spawnCrew(
    ['api'],
    {
      ...env,
      CREW_API_PORT: String(port),
      // The test polls faster than a client should.
      CREW_API_RATE_PER_MIN: '1200',
      CREW_API_TOKENS: Object.entries(tokens)
        .map(([name, token]) => `${name}:${sha256(token)}`)
        .join(','),
    },
    600_000,
  );
  let exited = false;
  void process.done.then(() => (exited = true));
  await waitFor(
    async () => {
      if (exited) throw new Error(`crew api exited before listening:\n${(await process.done).stderr.slice(-2000)}`);
      return (await fetch(`${base}/plans`).catch(() => undefined))?.status === 401;
    },
    {
      // A loaded two-core machine takes tens of seconds to load the crew.
      timeoutMs: 150_000,
      what: 'crew api to listen',
    },
  );
  const call = async (who: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: r.status,
      type: r.headers.get('content-type') ?? '',
      body: (await r.json()) as Record<string, unknown>,
    };
  };
  return { base, process, call };
}
