import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';

export interface RedisConnections {
  /** Ingest: fails at once while Redis is away, so the route can answer 503. */
  producer: Redis;
  /** Workers: BullMQ needs maxRetriesPerRequest null for its blocking commands. */
  worker: Redis;
  close(): Promise<void>;
}

export interface RedisTarget {
  url: string;
  /** Given: TLS with these options, whatever the URL's scheme (BullMQ's duplicated connections inherit them). */
  tls?: ConnectionOptions;
}

/** The caller attaches the 'error' listeners (observability/redis-status.ts): ioredis throws without one. */
export function createRedisConnections(target: RedisTarget): RedisConnections {
  const tls = target.tls ? { tls: target.tls } : {};
  const producer = new Redis(target.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5000,
    connectionName: 'ngw-producer',
    retryStrategy: reconnectDelay,
    ...tls,
  });
  const worker = new Redis(target.url, { maxRetriesPerRequest: null, connectionName: 'ngw-worker', retryStrategy: reconnectDelay, ...tls });
  return {
    producer,
    worker,
    async close() {
      await Promise.allSettled([closeConnection(producer), closeConnection(worker)]);
    },
  };
}

/** Reconnect forever (Redis restarts must heal by themselves), at most every 2 s. */
function reconnectDelay(times: number): number {
  return Math.min(times * 100, 2000);
}

/** QUIT when connected; a connection still trying to reconnect is just dropped, or it keeps trying. */
async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
