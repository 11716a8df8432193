import { describe, expect, it } from 'vitest';
import { isTransientStateBackendFailure, retryStateBackend } from '../../../../src/agents/forge/retry-state-backend.js';
import { SubprocessError } from '../../../../src/agents/forge/subprocess-error.js';

const failed = (stderr: string, x: { locked?: boolean } = {}) =>
  new SubprocessError('terraform plan failed (exit 1)', {
    command: 'terraform plan',
    exitCode: 1,
    stderr,
    failureCode: 'CREW_ERR_TERRAFORM',
    ...x,
  });

describe('a state backend that dropped its connection', () => {
  it.each([
    'Error: Failed to get existing workspaces: pq: terminating connection due to administrator command',
    'Error: read tcp 127.0.0.1:35452->127.0.0.1:15432: read: connection reset by peer',
    'Error: EOF',
    'Error: dial tcp 127.0.0.1:5432: connect: connection refused',
    'Error: pq: the database system is starting up',
    'Error: driver: bad connection',
    'Error: pq: duplicate key value violates unique constraint "pg_namespace_nspname_index"',
  ])('is transient: %s', (stderr) => {
    expect(isTransientStateBackendFailure(failed(stderr))).toBe(true);
  });

  it.each([
    'Error: Unsupported argument\n  on main.tf line 3',
    'Error: Saved plan is stale',
    'Error: creating Auto Scaling Group: ValidationError: EOF is not a valid name',
  ])('is not: %s', (stderr) => {
    expect(isTransientStateBackendFailure(failed(stderr))).toBe(false);
  });

  it('is not when Terraform waited out the lock (its own timeout applies) or the error is not a run', () => {
    expect(isTransientStateBackendFailure(failed('Error: EOF', { locked: true }))).toBe(false);
    expect(isTransientStateBackendFailure(new Error('connection reset by peer'))).toBe(false);
  });

  it('runs again with a doubling pause, and gives up after the attempts with the last error', async () => {
    const pauses: number[] = [];
    let runs = 0;
    const value = await retryStateBackend(
      async () => {
        runs++;
        if (runs < 3) throw failed('Error: EOF');
        return 'planned';
      },
      { sleep: async (ms) => void pauses.push(ms), firstPauseMs: 100 },
    );
    expect({ value, runs, pauses }).toEqual({ value: 'planned', runs: 3, pauses: [100, 200] });

    runs = 0;
    const last = await retryStateBackend(
      async () => {
        runs++;
        throw failed(`Error: EOF\nattempt ${runs}`);
      },
      { sleep: async () => undefined, attempts: 3 },
    ).catch((err: unknown) => err);
    expect((last as SubprocessError).stderr).toBe('Error: EOF\nattempt 3');
    expect(runs).toBe(3);
  });

  it('throws a plan error at once, and stops retrying once the plan is cancelled', async () => {
    let runs = 0;
    await expect(
      retryStateBackend(async () => {
        runs++;
        throw failed('Error: Unsupported argument');
      }),
    ).rejects.toBeInstanceOf(SubprocessError);
    expect(runs).toBe(1);
    const cancel = new AbortController();
    runs = 0;
    await expect(
      retryStateBackend(
        async () => {
          runs++;
          cancel.abort();
          throw failed('Error: EOF');
        },
        { signal: cancel.signal, sleep: async () => undefined },
      ),
    ).rejects.toBeInstanceOf(SubprocessError);
    expect(runs).toBe(1);
  });
});
