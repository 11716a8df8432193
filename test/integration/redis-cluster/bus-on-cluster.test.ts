import { afterAll, vi } from 'vitest';

// The bus suites (publish/consume/ack, duplicates, batched dedupe and acks, retries, dead
// letters, claims from dead or idle consumers, a prompt close that interrupts a blocked read)
// run unchanged on a three-master Redis Cluster instead of one server.
// Test files share a worker's module cache: load the suites afresh, and leave the setting behind
// for no later file.
process.env.CREW_TEST_REDIS_CLUSTER = '1';
afterAll(() => {
  delete process.env.CREW_TEST_REDIS_CLUSTER;
});
vi.resetModules();
await import('../bus/round-trip.test.js');
await import('../bus/consumers.test.js');
await import('../bus/retries.test.js');
await import('../bus/close.test.js');
await import('../bus/batched-acks.test.js');
