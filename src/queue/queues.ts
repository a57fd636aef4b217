import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Config } from '../config/schema';
import { JITTERED_BACKOFF } from './backoff';
import { queueNameFor, type DeliveryJobData, type DeliveryResult } from './delivery-job';

export type DeliveryQueue = Queue<DeliveryJobData, DeliveryResult>;

/** Finished jobs are kept long enough to inspect, bounded so Redis does not grow without end. */
export const RETENTION = {
  completed: { age: 24 * 3600, count: 10_000 },
  failed: { age: 14 * 24 * 3600, count: 10_000 },
} as const;

export function createDeliveryQueues(
  channelNames: readonly string[],
  connection: Redis | Cluster,
  config: { redis: Pick<Config['redis'], 'url' | 'prefix'>; delivery: Config['delivery'] },
  onError: (err: Error) => void,
): Map<string, DeliveryQueue> {
  const queues = new Map<string, DeliveryQueue>();
  for (const name of channelNames) {
    const queue: DeliveryQueue = new Queue(queueNameFor(name), {
      connection,
      prefix: config.redis.prefix,
      skipWaitingForReady: true,
      defaultJobOptions: {
        attempts: config.delivery.attempts,
        backoff: { type: JITTERED_BACKOFF, delay: config.delivery.backoff },
        removeOnComplete: RETENTION.completed,
        removeOnFail: RETENTION.failed,
      },
    });
    queue.on('error', onError);
    queues.set(name, queue);
  }
  return queues;
}
