import { ErrorCode, type Job } from 'bullmq';
import type { DeliveryJobData, DeliveryResult } from '../delivery-job';
import { findDeliveryJob } from './delivery-status';
import { QueueUnavailableError } from '../../intake/enqueue';
import type { DeliveryQueue } from '../queues';

/** A delivery that failed for good (attempts used up, or a permanent answer): what an operator needs to decide on a retry. */
export interface DeadLetter {
  id: string;
  channel: string;
  kind: 'alert' | 'digest' | 'summary' | 'edit';
  source: string;
  title: string;
  attempts: number;
  /** The provider's last answer, e.g. "Telegram 400: Bad Request: chat not found". */
  lastError: string | null;
  failedAt: string | null;
}

export interface DeadLetterPage {
  /** Failed jobs in all delivery queues, however many were listed. */
  total: number;
  /** Newest first, at most the limit asked for. */
  jobs: DeadLetter[];
}

export type RetryOutcome =
  | { kind: 'retried'; id: string; channel: string; status: string }
  | { kind: 'notFound' }
  | { kind: 'notFailed'; id: string; channel: string; status: string };

/**
 * The newest `limit` failed deliveries across every channel's queue. Each failed set is ordered
 * by the time of failure, so the newest `limit` of each queue hold the newest `limit` of all.
 */
export async function listFailedDeliveries(queues: ReadonlyMap<string, DeliveryQueue>, limit: number): Promise<DeadLetterPage> {
  return redisAnswer(async () => {
    const perQueue = await Promise.all([...queues.values()].map(async (queue) => ({ count: await queue.getFailedCount(), jobs: await queue.getFailed(0, limit - 1) })));
    const jobs = perQueue
      .flatMap((page) => page.jobs.filter(Boolean))
      .sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0))
      .slice(0, limit)
      .map(describe);
    return { total: perQueue.reduce((sum, page) => sum + page.count, 0), jobs };
  });
}

/**
 * Puts one failed delivery back in its queue with a fresh set of attempts (BullMQ's job.retry):
 * the operator fixed the cause (a chat id, a token, a template) and wants it sent.
 */
export async function retryFailedDelivery(queues: ReadonlyMap<string, DeliveryQueue>, id: string): Promise<RetryOutcome> {
  return redisAnswer(async () => {
    const job = await findDeliveryJob(queues, id);
    if (!job) return { kind: 'notFound' };
    const channel = job.data.channel;
    const state = await job.getState();
    if (state !== 'failed') return { kind: 'notFailed', id, channel, status: state };
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    } catch (err) {
      // Another retry, a worker or retention got there between our read and the move.
      const code = (err as { code?: unknown }).code;
      if (code === ErrorCode.JobNotExist) return { kind: 'notFound' };
      if (code === ErrorCode.JobNotInState) return { kind: 'notFailed', id, channel, status: await job.getState() };
      throw err;
    }
    return { kind: 'retried', id, channel, status: await job.getState() };
  });
}

function describe(job: Job<DeliveryJobData, DeliveryResult>): DeadLetter {
  const { event, channel, kind } = job.data;
  return {
    id: String(job.id),
    channel,
    kind: kind ?? 'alert',
    source: event.source,
    title: event.title,
    attempts: job.attemptsMade,
    lastError: job.failedReason || null,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/** A Redis failure becomes QueueUnavailableError (http-error.ts answers 503), as in findDelivery. */
async function redisAnswer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw new QueueUnavailableError(`Redis does not answer: ${(err as Error).message}`, { cause: err });
  }
}
