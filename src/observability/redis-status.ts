import type { Redis } from 'ioredis';
import type { Logger } from './logger';

/** One line when Redis goes away and one when it is back, not one per reconnect attempt. */
export function watchRedis(redis: Redis, logger: Logger): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis unreachable: ${err.message}; ingest answers 503 until it is back`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis connection restored');
  });
}
