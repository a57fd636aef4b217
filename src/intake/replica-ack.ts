import type { Redis } from 'ioredis';
import { QueueUnavailableError } from './enqueue';

/** How long ingest waits for replicas to confirm a webhook before answering 503. */
const REPLICA_WAIT_MS = 1000;

/**
 * Redis replicates asynchronously: a primary that fails over (a Sentinel promoting its replica)
 * drops whatever its replica had not received, answered 202 or not. With Redis WAIT, ingest
 * answers 202 only once `replicas` replicas hold the webhook; otherwise 503, and the sender's retry
 * is safe (the intake job id comes from the content; at worst the alert is delivered twice).
 * WAIT counts every earlier write of this connection: ingest's own, on the producer connection.
 */
export function replicaConfirmation(redis: Redis, replicas: number, timeoutMs = REPLICA_WAIT_MS): (() => Promise<void>) | undefined {
  if (replicas <= 0) return undefined;
  return async () => {
    let acknowledged: number;
    try {
      acknowledged = await redis.wait(replicas, timeoutMs);
    } catch (err) {
      throw new QueueUnavailableError(`alerts may not be stored; retry is safe: ${(err as Error).message}`, { cause: err });
    }
    if (acknowledged < replicas) {
      throw new QueueUnavailableError(
        `alerts reached the primary but only ${acknowledged} of ${replicas} replica(s) confirmed them within ${timeoutMs} ms, so a failover could lose them; retry is safe (redis.waitReplicas)`,
      );
    }
  };
}
