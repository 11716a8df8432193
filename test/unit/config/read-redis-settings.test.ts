import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { readRedisSettings } from '../../../src/config/read-redis-settings.js';

describe('readRedisSettings', () => {
  it('one URL is one server; several comma-separated URLs are cluster seed nodes', () => {
    expect(readRedisSettings({})).toEqual({ redisCluster: false });
    expect(readRedisSettings({ REDIS_URL: 'redis://h:6379' })).toEqual({
      redisUrl: 'redis://h:6379',
      redisCluster: false,
    });
    expect(readRedisSettings({ REDIS_URL: 'redis://a:7000, redis://b:7001' })).toMatchObject({ redisCluster: true });
    expect(readRedisSettings({ REDIS_URL: 'redis://a:7000', CREW_REDIS_CLUSTER: '1' })).toMatchObject({
      redisCluster: true,
    });
    expect(readConfig({ REDIS_URL: 'redis://a:7000,redis://b:7001' }).redisCluster).toBe(true);
  });

  it('refuses a cluster without nodes, a bad flag and a node that is not a URL', () => {
    expect(() => readRedisSettings({ CREW_REDIS_CLUSTER: '1' })).toThrow(/needs REDIS_URL/);
    expect(() => readRedisSettings({ REDIS_URL: 'redis://a:1', CREW_REDIS_CLUSTER: 'yes' })).toThrow(/not 1 or 0/);
    expect(() => readRedisSettings({ REDIS_URL: 'redis://a:1,b:2' })).toThrow(/"b:2"/);
  });
});
