import { Redis } from 'ioredis';
import { testRedisUrl } from './test-redis';

/** What every key under `prefix` takes in Redis memory (MEMORY USAGE, all samples), in bytes. */
export async function redisBytes(prefix: string, url = testRedisUrl()): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let total = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) total += Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
    } while (cursor !== '0');
    return total;
  } finally {
    redis.disconnect();
  }
}
