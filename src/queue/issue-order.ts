import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliveryJobData, DeliveryResult } from './delivery-job';
import type { DeliveryQueue } from './queues';

/** States in which the previous message of an issue may still be sent. */
const PENDING = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
const RECHECK_MS = 2000;

/**
 * Keeps an issue's messages in order on a channel (a "resolved" never overtakes its "firing"):
 * while the job named in `after` may still be sent, this job goes back to the delayed set, which
 * uses no attempt. It comes back when that job is due (its retry time, or a short recheck), so it
 * costs the channel's rate limit little. Throws BullMQ's DelayedError when it postponed the job.
 */
export async function holdBehindPredecessor(
  job: Job<DeliveryJobData, DeliveryResult>,
  queue: DeliveryQueue,
  redis: Redis,
  token: string | undefined,
  now: number = Date.now(),
): Promise<void> {
  const after = job.data.after;
  if (!after || after === job.id) return;
  // One state lookup, without loading the previous job: "unknown" means retention removed it long after it finished.
  const state = await queue.getJobState(after);
  if (!PENDING.has(state)) return;
  const due = state === 'delayed' ? await dueAt(redis, queue, after) : now;
  await job.moveToDelayed(Math.max(due, now) + RECHECK_MS, token);
  throw new DelayedError();
}

/** When a delayed job is due: BullMQ scores its delayed set with timestamp * 0x1000 + a counter. */
async function dueAt(redis: Redis, queue: DeliveryQueue, jobId: string): Promise<number> {
  const score = await redis.zscore(queue.keys.delayed!, jobId);
  return score === null ? Date.now() : Math.floor(Number(score) / 0x1000);
}
