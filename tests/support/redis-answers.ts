import { Redis, type RedisOptions } from 'ioredis';

/** True when a Redis at `target` (a URL, or options such as TLS) answers PING now; never waits on reconnects. */
export async function redisAnswers(target: string | RedisOptions): Promise<boolean> {
  const once: RedisOptions = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 };
  const redis = typeof target === 'string' ? new Redis(target, once) : new Redis({ ...target, ...once });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
