import { describeVaultError } from './describe-vault-error.js';
import type { VaultSession } from './open-vault-session.js';

export interface RenewalOptions {
  /** Share of the lease after which the token is renewed (default 2/3). */
  fraction?: number;
  /** Wait before trying again when both renewal and re-login failed (default 10 s). */
  retryMs?: number;
  onRenewed?: (event: { how: 'renew' | 'login'; leaseSeconds: number }) => void;
  /** Failures are reported, never thrown: the current token may still be good. Errors carry no token. */
  onError?: (err: Error) => void;
}

export interface RenewalHandle {
  /** Stops renewing. Safe to call twice. */
  stop(): void;
}

interface AuthReply {
  auth?: { lease_duration?: number; renewable?: boolean };
}

async function lookupLease(session: VaultSession): Promise<void> {
  const reply = (await session.client.tokenLookupSelf()) as { data?: { ttl?: number; renewable?: boolean } };
  session.leaseSeconds = Number(reply.data?.ttl ?? 0);
  session.renewable = reply.data?.renewable === true;
}

/**
 * Keeps the session's token alive: renew-self at `fraction` of the lease; when renewal
 * fails or the token cannot be renewed, log in again with AppRole (if configured). A token
 * with no expiry (ttl 0, e.g. a root token) needs nothing.
 */
export function startTokenRenewal(session: VaultSession, options: RenewalOptions = {}): RenewalHandle {
  const fraction = options.fraction ?? 2 / 3;
  const retryMs = options.retryMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Raw axios errors carry the request headers, token included: only described errors leave.
  const report = (err: unknown, action: string) => options.onError?.(describeVaultError(err, action, session.addr));

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  };
  const scheduleFromLease = () => {
    const lease = session.leaseSeconds ?? 0;
    if (lease > 0) schedule(lease * 1000 * fraction);
  };
  const relogin = async (): Promise<boolean> => {
    if (!session.relogin) return false;
    const leaseSeconds = await session.relogin();
    options.onRenewed?.({ how: 'login', leaseSeconds });
    return true;
  };
  const tick = async () => {
    try {
      if (session.renewable) {
        try {
          const reply = (await session.client.tokenRenewSelf()) as AuthReply;
          session.leaseSeconds = Number(reply.auth?.lease_duration ?? 0);
          session.renewable = reply.auth?.renewable !== false;
          options.onRenewed?.({ how: 'renew', leaseSeconds: session.leaseSeconds });
          return scheduleFromLease();
        } catch (err) {
          if (!session.relogin) throw err;
          report(err, 'renewing the token (logging in again)');
        }
      }
      if (!(await relogin())) return;
      scheduleFromLease();
    } catch (err) {
      report(err, 'renewing the token');
      schedule(retryMs);
    }
  };

  if (session.leaseSeconds === undefined) {
    lookupLease(session).then(scheduleFromLease, (err: unknown) => {
      report(err, 'looking up the token');
      schedule(retryMs);
    });
  } else {
    scheduleFromLease();
  }
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
