import { settlesWithin } from '../queue/deadline';
import { deliveryJobId, generationOf } from '../queue/delivery-job';
import { intakeJob, type IntakeQueue, type RoutedEvent } from './intake-queue';
export interface EnqueuedJob {
  /** The delivery's job id (GET /deliveries/{id}); no such job appears if dedup holds the alert back. */
  id: string;
  channel: string;
}

/** Redis did not answer (or refused the write): the sender must try again later. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/** Redis may evict what it stores (maxmemory-policy), so nothing is stored: try again once it is fixed. */
export class RedisEvictsError extends Error {
  override readonly name = 'RedisEvictsError';
}

/**
 * Stores the webhook's alerts as one intake job and resolves only when Redis has it. The job id
 * comes from the content, so a sender's retry is not doubled; the intake worker fans the alerts
 * out to the channels.
 */
export async function enqueueEvents(
  intake: IntakeQueue,
  routed: readonly RoutedEvent[],
  receivedAt: number,
  /** How long the gateway remembers a notification (the seen marker's lifetime): a generation's length. */
  rememberMs: number,
  timeoutMs = 5000,
): Promise<EnqueuedJob[]> {
  const generation = generationOf(receivedAt, rememberMs);
  const job = intakeJob([...routed], receivedAt, generation);
  // ioredis' commandTimeout does not cover BullMQ waiting for a first connection (Redis down at
  // start-up), so the add gets its own deadline: the sender hears 503 instead of waiting.
  let stored: boolean;
  try {
    stored = await settlesWithin(intake.add(job.name, job.data, job.opts), timeoutMs);
  } catch (err) {
    throw new QueueUnavailableError(`alerts may not be stored; retry is safe: ${(err as Error).message}`, { cause: err });
  }
  if (!stored) throw new QueueUnavailableError(`alerts may not be stored; retry is safe: Redis did not answer within ${timeoutMs} ms`);
  return routed.flatMap(({ event, channels }) => channels.map((channel) => ({ id: deliveryJobId(event, channel, generation), channel })));
}
