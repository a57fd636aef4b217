import type { Job } from 'bullmq';
import type { DeliveryJobData, DeliveryResult } from '../delivery-job';
import { QueueUnavailableError } from '../../intake/enqueue';
import type { DeliveryQueue } from '../queues';

/** What an operator (or the sender's ops team) wants to know about one delivery. */
export interface DeliveryStatus {
  id: string;
  channel: string;
  /** BullMQ's state: waiting, prioritized, delayed (a retry's backoff), active, completed (the provider accepted it), failed. */
  status: string;
  /** Attempts made so far, and how many are allowed. */
  attempts: number;
  maxAttempts: number;
  /** The last provider answer or error that failed an attempt, e.g. "Telegram 400: Bad Request: chat not found". */
  lastError: string | null;
  providerMessageId: string | null;
  source: string;
  title: string;
  timestamps: {
    /** The webhook arrived. */
    received: string;
    /** The job was stored. */
    queued: string;
    /** The last attempt started. */
    processed: string | null;
    /** Sent, or failed for good. */
    finished: string | null;
  };
}

/** The delivery's status; undefined when no queue has it (never stored, or removed by retention). */
export async function findDelivery(queues: ReadonlyMap<string, DeliveryQueue>, id: string): Promise<DeliveryStatus | undefined> {
  try {
    for (const queue of queues.values()) {
      // State before data: a job read first and failing in between would show "failed" with the
      // attempts and error of before. Read in this order, a finished state comes with final data.
      const state = await queue.getJobState(id);
      if (state === 'unknown') continue;
      const job = await queue.getJob(id);
      if (job) return describe(job, state);
    }
    return undefined;
  } catch (err) {
    throw new QueueUnavailableError(`Redis does not answer: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Looks for the job in every channel's queue: ids come from the alert and the channel, so the id
 * alone does not say which queue holds it.
 */
export async function findDeliveryJob(queues: ReadonlyMap<string, DeliveryQueue>, id: string): Promise<Job<DeliveryJobData, DeliveryResult> | undefined> {
  for (const queue of queues.values()) {
    const job = await queue.getJob(id);
    if (job) return job;
  }
  return undefined;
}

function describe(job: Job<DeliveryJobData, DeliveryResult>, state: string): DeliveryStatus {
  const { event, channel, receivedAt } = job.data;
  return {
    id: String(job.id),
    channel,
    status: state,
    attempts: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    lastError: job.failedReason || null,
    providerMessageId: job.returnvalue?.providerMessageId ?? null,
    source: event.source,
    title: event.title,
    timestamps: {
      received: new Date(receivedAt).toISOString(),
      queued: new Date(job.timestamp).toISOString(),
      processed: job.processedOn ? new Date(job.processedOn).toISOString() : null,
      finished: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    },
  };
}
