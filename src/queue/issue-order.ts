import { DelayedError, type Job } from 'bullmq';
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
  token: string | undefined,
  now: number = Date.now(),
): Promise<void> {
  const after = job.data.after;
  if (!after || after === job.id) return;
  // One state lookup first: "unknown" means retention removed it long after it finished.
  const state = await queue.getJobState(after);
  if (!PENDING.has(state)) return;
  const due = state === 'delayed' ? await dueAt(queue, after, now) : now;
  await job.moveToDelayed(Math.max(due, now) + RECHECK_MS, token);
  throw new DelayedError();
}

/**
 * When a delayed job is due, from its public fields: the delay counts from the attempt that set it
 * (processedOn) or, for a job added delayed, from when it was added. A retry's delay really starts
 * when that attempt failed, a little later, so this is a lower bound: coming back early only costs
 * one more look, while the order itself rests on the state check above, not on this time.
 */
async function dueAt(queue: DeliveryQueue, jobId: string, now: number): Promise<number> {
  const previous = await queue.getJob(jobId);
  if (!previous) return now;
  return (previous.processedOn ?? previous.timestamp) + (previous.delay ?? 0);
}
