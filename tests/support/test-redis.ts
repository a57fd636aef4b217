import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (its global setup finds or starts Redis)');
  return url;
}

/** A key prefix of this test's own, so runs and files never see each other's jobs. */
export function uniquePrefix(label: string): string {
  return `ngwtest-${label}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under the prefix. */
export async function removeKeys(prefix: string, url = testRedisUrl()): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
