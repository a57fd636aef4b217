import type { Cluster, Redis } from 'ioredis';
import type { Logger } from './logger';

/**
 * One line when Redis goes away and one when it is back, not one per reconnect attempt, for all
 * of the process's connections together (they fail together when Redis is down).
 */
export function watchRedis(connections: ReadonlyArray<Redis | Cluster>, logger: Logger): void {
  const down = new Set<Redis | Cluster>();
  for (const redis of connections) {
    redis.on('error', (err: Error) => {
      if (down.size === 0) logger.warn(`Redis unreachable: ${err.message}; ingest answers 503 until it is back`);
      down.add(redis);
    });
    redis.on('ready', () => {
      if (!down.delete(redis) || down.size > 0) return;
      logger.info('Redis connection restored');
    });
  }
}
