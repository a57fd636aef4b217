import { Redis } from 'ioredis';
import { testRedisUrl } from './test-redis';

export interface StoredJob {
  queue: string;
  id: string;
  /** The job's data as BullMQ stored it (JSON text parsed). */
  data: unknown;
}

/**
 * Every BullMQ job stored under `prefix`, whatever queue holds it (delivery queues, intake, ...):
 * a job is a hash `<prefix>:<queue>:<id>` with a `data` field. Lets a test prove that rejected
 * input left nothing behind without knowing which queues exist.
 */
export async function storedJobs(prefix: string, url = testRedisUrl()): Promise<StoredJob[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const jobs: StoredJob[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const parts = key.slice(prefix.length + 1).split(':');
        if (parts.length !== 2) continue;
        const data = await redis.hget(key, 'data').catch(() => null);
        if (data !== null) jobs.push({ queue: parts[0]!, id: parts[1]!, data: JSON.parse(data) as unknown });
      }
    } while (cursor !== '0');
    return jobs;
  } finally {
    redis.disconnect();
  }
}
