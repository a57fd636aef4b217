import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisNode } from './config';

/** A connection to the gateway's Redis, whichever the topology: BullMQ and every gateway store take either. */
export type RedisClient = Redis | Cluster;

export interface RedisConnections {
  /** Ingest: fails at once while Redis is away, so the route can answer 503. */
  producer: RedisClient;
  /** Workers: BullMQ needs maxRetriesPerRequest null for its blocking commands. */
  worker: RedisClient;
  close(): Promise<void>;
}

/** One Redis by URL, a Sentinel group's current master, or a Cluster (docs: README "Redis topologies"). */
export type RedisTarget =
  | { url: string; password?: string; tls?: ConnectionOptions }
  | { sentinels: RedisNode[]; name: string; password?: string; sentinelPassword?: string; tls?: ConnectionOptions }
  | { cluster: RedisNode[]; password?: string; tls?: ConnectionOptions };

/** The caller attaches the 'error' listeners (observability/redis-status.ts): ioredis throws without one. */
export function createRedisConnections(target: RedisTarget): RedisConnections {
  const producer = connect(target, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5000,
    connectionName: 'ngw-producer',
    // A Sentinel master demoted under us answers READONLY: reconnect (to the new master); the write fails, ingest answers 503.
    reconnectOnError: (err) => (READONLY.test(err.message) ? 1 : false),
  });
  const worker = connect(target, {
    maxRetriesPerRequest: null,
    connectionName: 'ngw-worker',
    // Workers' commands are BullMQ's own, safe to send again once connected to the new master.
    reconnectOnError: (err) => (READONLY.test(err.message) ? 2 : false),
  });
  return {
    producer,
    worker,
    async close() {
      await Promise.allSettled([closeConnection(producer), closeConnection(worker)]);
    },
  };
}

const READONLY = /^READONLY/;

function connect(target: RedisTarget, options: RedisOptions): RedisClient {
  // Given: TLS with these options, whatever the URL's scheme (BullMQ's duplicated connections inherit them).
  const common: RedisOptions = { ...options, retryStrategy: reconnectDelay, ...(target.tls && { tls: target.tls }), ...(target.password && { password: target.password }) };
  if ('cluster' in target) {
    const { enableOfflineQueue, ...nodeOptions } = common;
    return new Cluster(target.cluster, {
      ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
      clusterRetryStrategy: reconnectDelay,
      // CLUSTERDOWN while a replica takes over a dead primary's slots: ask again every 200 ms.
      retryDelayOnClusterDown: 200,
      redisOptions: nodeOptions,
    });
  }
  if ('sentinels' in target) {
    return new Redis({
      ...common,
      sentinels: target.sentinels,
      name: target.name,
      ...(target.sentinelPassword && { sentinelPassword: target.sentinelPassword }),
      // No failoverDetector: Sentinel itself closes the clients of a demoted master (CLIENT KILL), and
      // BullMQ's blocking connections did not come back from the detector's disconnect in our tests.
      sentinelRetryStrategy: reconnectDelay,
    });
  }
  return new Redis(target.url, common);
}

/** Reconnect forever (Redis restarts must heal by themselves), at most every 2 s. */
function reconnectDelay(times: number): number {
  return Math.min(times * 100, 2000);
}

/** QUIT when connected; a connection still trying to reconnect is just dropped, or it keeps trying. */
async function closeConnection(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
